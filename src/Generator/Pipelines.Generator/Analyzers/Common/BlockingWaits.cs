using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>How a blocking wait can be rewritten mechanically in an async context.</summary>
internal enum BlockingWaitFix
{
    /// <summary>No mechanical rewrite (timeouts, <c>Wait</c>'s no-throw contract, <c>WaitAny</c>'s index).</summary>
    None,

    /// <summary>Replace the whole wait with <c>await awaited</c>.</summary>
    Await,

    /// <summary>Call the asynchronous twin with the same arguments and await it (<c>Futures.Wait</c> → <c>await Futures.WaitAsync</c>).</summary>
    AwaitTwin,
}

/// <summary>One blocking wait found in code: what it is called, what it waits on, and how to fix it.</summary>
internal readonly struct BlockingWait
{
    public BlockingWait(IOperation operation, string displayName, IOperation? awaited, bool onFuture, BlockingWaitFix fix, string? twin = null)
    {
        Operation = operation;
        DisplayName = displayName;
        Awaited = awaited;
        OnFuture = onFuture;
        Fix = fix;
        Twin = twin;
    }

    /// <summary>The invocation or property reference that blocks.</summary>
    public IOperation Operation { get; }

    /// <summary>The wait as the message names it, e.g. <c>Future&lt;T&gt;.GetResult</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The future, task or awaitable the wait blocks on; null for static waits over collections.</summary>
    public IOperation? Awaited { get; }

    /// <summary>The wait blocks on a Pipelines future (or <c>Futures.Wait</c>), not only on a task.</summary>
    public bool OnFuture { get; }

    /// <summary>The mechanical rewrite, if any.</summary>
    public BlockingWaitFix Fix { get; }

    /// <summary>The asynchronous twin's method name for <see cref="BlockingWaitFix.AwaitTwin"/>.</summary>
    public string? Twin { get; }
}

/// <summary>
/// The table of blocking members: <c>Future.GetResult/Wait/GetException</c>, <c>Futures.Wait</c>,
/// <c>Task.Wait/WaitAll/WaitAny</c>, <c>Task&lt;T&gt;.Result</c>, <c>ValueTask&lt;T&gt;.Result</c>,
/// <c>GetAwaiter().GetResult()</c> on any task or future awaiter, and enumerating what <c>Futures.AsCompleted</c> or
/// <c>executor.Map</c> returns (each step waits for the next future; see <see cref="Sequences"/>).
/// </summary>
internal static class BlockingWaits
{
    public static bool TryMatch(IOperation operation, PipelinesTypes types, out BlockingWait wait)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return TryMatchInvocation(invocation, types, out wait) || TryMatchEnumeration(invocation, types, out wait);
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: not null } property
                when PipelinesTypes.Is(property.Property.ContainingType, types.TaskOfT)
                    || PipelinesTypes.Is(property.Property.ContainingType, types.ValueTaskOfT):
                wait = new BlockingWait(property, Display(property.Property.ContainingType, "Result"), property.Instance, onFuture: false, BlockingWaitFix.Await);
                return true;
            case IForEachLoopOperation { IsAsynchronous: false } loop
                when Sequences.BlockingSourceName(loop.Collection, types) is { } source:
                wait = new BlockingWait(loop.Collection, "foreach over " + source, awaited: null, onFuture: true, BlockingWaitFix.None);
                return true;
            default:
                wait = default;
                return false;
        }
    }

    /// <summary><c>results.Sum()</c>, <c>ToList()</c>, <c>First()</c>…: a LINQ call that enumerates a blocking sequence at once.</summary>
    private static bool TryMatchEnumeration(IInvocationOperation invocation, PipelinesTypes types, out BlockingWait wait)
    {
        if (Sequences.IsImmediate(invocation, types)
            && Sequences.SourceOf(invocation, types) is { } source
            && Sequences.BlockingSourceName(source, types) is { } name)
        {
            wait = new BlockingWait(invocation, $"{invocation.TargetMethod.Name}() over {name}", awaited: null, onFuture: true, BlockingWaitFix.None);
            return true;
        }

        wait = default;
        return false;
    }

    private static bool TryMatchInvocation(IInvocationOperation invocation, PipelinesTypes types, out BlockingWait wait)
    {
        IMethodSymbol method = invocation.TargetMethod;
        INamedTypeSymbol type = method.ContainingType;
        wait = default;

        if (types.IsFutureType(type))
        {
            if (method.IsStatic || method.Name is not ("GetResult" or "Wait" or "GetException"))
            {
                return false;
            }

            // Only an untimed GetResult has await's meaning; Wait never throws and GetException returns the error.
            BlockingWaitFix fix = method.Name == "GetResult" && AllDefaulted(invocation) && invocation.Instance is not null
                ? BlockingWaitFix.Await
                : BlockingWaitFix.None;
            wait = new BlockingWait(invocation, Display(type, method.Name), invocation.Instance, onFuture: true, fix);
            return true;
        }

        if (PipelinesTypes.Is(type, types.Futures))
        {
            if (method.Name != "Wait")
            {
                return false;
            }

            wait = new BlockingWait(invocation, "Futures.Wait", awaited: null, onFuture: true, BlockingWaitFix.AwaitTwin, "WaitAsync");
            return true;
        }

        if (PipelinesTypes.Is(type, types.Task))
        {
            switch (method.Name)
            {
                case "Wait" when !method.IsStatic:
                    wait = new BlockingWait(invocation, "Task.Wait", invocation.Instance, onFuture: false, method.Parameters.Length == 0 ? BlockingWaitFix.Await : BlockingWaitFix.None);
                    return true;
                case "WaitAll" when method.IsStatic:
                    wait = new BlockingWait(invocation, "Task.WaitAll", awaited: null, onFuture: false, method.Parameters.Length == 1 ? BlockingWaitFix.AwaitTwin : BlockingWaitFix.None, "WhenAll");
                    return true;
                case "WaitAny" when method.IsStatic:
                    wait = new BlockingWait(invocation, "Task.WaitAny", awaited: null, onFuture: false, BlockingWaitFix.None);
                    return true;
                default:
                    return false;
            }
        }

        if (method.Name == "GetResult" && method.Parameters.Length == 0 && types.IsAwaiter(type))
        {
            // x.GetAwaiter().GetResult() and x.ConfigureAwait(false).GetAwaiter().GetResult(): await x (keeping ConfigureAwait).
            IOperation? awaited = invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } source } ? source : null;
            bool onFuture = awaited is not null && types.IsFuture(StripConfigureAwait(awaited)?.Type);
            wait = new BlockingWait(invocation, "GetAwaiter().GetResult()", awaited, onFuture, awaited is null ? BlockingWaitFix.None : BlockingWaitFix.Await);
            return true;
        }

        return false;
    }

    /// <summary>The local or parameter a wait blocks on, seen through conversions, <c>ConfigureAwait</c> and <c>AsTask</c>.</summary>
    public static ISymbol? ReceiverSymbol(IOperation? awaited)
        => StripConfigureAwait(awaited) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };

    public static IOperation? StripConfigureAwait(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } instance }:
                    operation = instance;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool AllDefaulted(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return false;
            }
        }

        return true;
    }

    private static string Display(INamedTypeSymbol type, string member)
        => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + member;
}
