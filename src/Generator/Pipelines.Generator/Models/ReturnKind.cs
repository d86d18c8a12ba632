namespace Pipelines.Generator.Models;

/// <summary>What the method returns, which decides the call class and the stub's future type.</summary>
internal enum ReturnKind
{
    /// <summary>A value <c>T</c>: a synchronous call, <c>Future&lt;T&gt;</c>.</summary>
    Value,

    /// <summary><c>void</c>: a synchronous call, the non-generic <c>Future</c>.</summary>
    Void,

    /// <summary><c>Task</c>: an asynchronous call, the non-generic <c>Future</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>: an asynchronous call, <c>Future&lt;T&gt;</c>.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>: an asynchronous call, the non-generic <c>Future</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>: an asynchronous call, <c>Future&lt;T&gt;</c>.</summary>
    ValueTaskOfT,
}
