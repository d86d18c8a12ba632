#if !NET9_0_OR_GREATER
namespace System.Runtime.CompilerServices;

/// <summary>
/// The C# 13 overload-resolution tie-breaker, declared for the net8.0 build (the BCL has it from .NET 9). With C# 13
/// it makes <c>Submit&lt;int&gt;(() =&gt; throw …)</c> and <c>Submit(() =&gt; someTask)</c> bind to the async overloads
/// (earlier compilers report the first ambiguous, as for <c>Task.Run</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class OverloadResolutionPriorityAttribute(int priority) : Attribute
{
    public int Priority { get; } = priority;
}
#endif
