using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Keys of <see cref="Diagnostic.Properties"/> that tell the code fixes what to do. A diagnostic without
/// <see cref="Fix"/> has no mechanical fix. Where a fix needs a second expression (the future to await or to
/// pass), it is the diagnostic's first additional location.
/// </summary>
internal static class FixData
{
    /// <summary>The fix to offer: <see cref="Await"/>, <see cref="AwaitTwin"/>, <see cref="PassFuture"/>, <see cref="Discard"/> or <see cref="DiscardOrAwait"/>.</summary>
    public const string Fix = "Fix";

    /// <summary>For <see cref="AwaitTwin"/>: the asynchronous method's name.</summary>
    public const string Twin = "Twin";

    /// <summary>Replace the diagnostic's expression with <c>await</c> of the additional location.</summary>
    public const string Await = "Await";

    /// <summary>Rename the invoked method to <see cref="Twin"/> and await the call.</summary>
    public const string AwaitTwin = "AwaitTwin";

    /// <summary>Replace the diagnostic's expression with the additional location (the future itself).</summary>
    public const string PassFuture = "PassFuture";

    /// <summary>Write <c>_ = </c> before the diagnostic's expression: a dropped future, dropped on purpose.</summary>
    public const string Discard = "Discard";

    /// <summary>Either <see cref="Discard"/>, or <c>await</c> the diagnostic's expression (a statement in an async function).</summary>
    public const string DiscardOrAwait = "DiscardOrAwait";

    /// <summary>Fix data for a blocking wait, or none when it has no rewrite or the code cannot await here.</summary>
    public static ImmutableDictionary<string, string?> ForWait(in BlockingWait wait, ISymbol containingSymbol)
    {
        if (wait.Fix == BlockingWaitFix.None || !CanAwait(wait.Operation, containingSymbol))
        {
            return ImmutableDictionary<string, string?>.Empty;
        }

        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
            .Add(Fix, wait.Fix == BlockingWaitFix.Await ? Await : AwaitTwin);
        return wait.Twin is null ? properties : properties.Add(Twin, wait.Twin);
    }

    /// <summary>The additional locations that go with <see cref="ForWait"/>.</summary>
    public static Location[] LocationsForWait(in BlockingWait wait)
        => wait.Fix == BlockingWaitFix.Await && wait.Awaited is not null
            ? new[] { wait.Awaited.Syntax.GetLocation() }
            : System.Array.Empty<Location>();

    /// <summary>True when the innermost function around <paramref name="operation"/> is async and the code is not inside a <c>lock</c>.</summary>
    public static bool CanAwait(IOperation operation, ISymbol containingSymbol)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return false;
                case IAnonymousFunctionOperation function:
                    return function.Symbol.IsAsync;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol.IsAsync;
            }
        }

        return containingSymbol is IMethodSymbol { IsAsync: true };
    }
}
