namespace Pipelines.Generator.Models;

/// <summary>What the method returns, which decides the call class and the stub's future type.</summary>
internal enum ReturnKind
{
    Value,
    Void,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
