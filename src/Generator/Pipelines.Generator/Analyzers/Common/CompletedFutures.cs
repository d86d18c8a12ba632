using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Carve-outs shared by PIPE0001, PIPE0003 and PIPE0004: a wait on a future or task that is already known to be
/// complete does not block. Known complete means:
/// <list type="bullet">
/// <item>a completed-future factory: <c>Future.FromResult/FromException/FromCancelled</c>, <c>Future.CompletedFuture</c>
/// (and the <c>Task</c> twins), waited on directly or through a local given only that value;</item>
/// <item>the <c>OnDone</c> callback's own future (or the future <c>OnDone</c> was called on);</item>
/// <item>for a local or parameter, in the same function: an earlier <c>await f</c> or <c>f.Wait()</c>, an earlier wait
/// for all of a set that names it (<c>await Task.WhenAll(a, b)</c>, <c>await Futures.WaitAsync(new[] { a, b })</c>,
/// <c>Task.WaitAll</c>, <c>Futures.Wait</c>), or a guard (<c>if (f.IsDone) …</c>, <c>f.IsDone ? … : …</c>,
/// <c>f.IsDone &amp;&amp; …</c>, an earlier <c>if (!f.IsDone) return;</c>);</item>
/// <item>an element of a collection — a <c>foreach</c> variable, a LINQ lambda's parameter, <c>list[i]</c>,
/// <c>list.First()</c> — when the collection comes from <c>Futures.AsCompleted</c>/<c>AsCompletedAsync</c>, is the
/// <c>Done</c> half of a <c>Futures.Wait</c>/<c>WaitAsync</c> result, or was waited for as a whole earlier
/// (<c>await Futures.WaitAsync(list)</c>).</item>
/// </list>
/// "Same function" sees through lambdas passed to LINQ, which run where they are written. The checks are textual
/// order, not flow analysis: they err towards staying quiet.
/// </summary>
internal static partial class CompletedFutures
{
    public static bool IsKnownComplete(in BlockingWait wait, in WorkContext work, PipelinesTypes types)
    {
        IOperation? awaited = BlockingWaits.StripConfigureAwait(wait.Awaited);
        if (awaited is null)
        {
            return false;
        }

        if (IsCompletedFactory(awaited, types))
        {
            return true;
        }

        ISymbol? receiver = BlockingWaits.ReceiverSymbol(awaited);
        if (receiver is not null)
        {
            if (SymbolEqualityComparer.Default.Equals(receiver, work.CallbackParameter)
                || SymbolEqualityComparer.Default.Equals(receiver, work.CallbackSource))
            {
                return true;
            }

            if (receiver is ILocalSymbol local
                && Locals.SingleValue(local, awaited, out int tupleIndex) is { } value
                && tupleIndex < 0
                && IsCompletedFactory(value, types))
            {
                return true;
            }

            if (IsGuardedOrCompletedEarlier(wait.Operation, receiver, types))
            {
                return true;
            }
        }

        if (ElementSource(awaited, receiver, wait.Operation, types) is { } collection)
        {
            IOperation origin = Sequences.Origin(collection, types);
            return Sequences.IsAsCompleted(origin, types)
                || IsDoneHalfOfWait(origin, types)
                || (BlockingWaits.ReceiverSymbol(origin) is { } whole && CompletedEarlier(Locals.FunctionOf(wait.Operation, types), wait.Operation, whole, types));
        }

        return false;
    }

    /// <summary><c>Future.FromResult(…)</c>, <c>FromException</c>, <c>FromCancelled</c>, <c>Future.CompletedFuture</c> and the <c>Task</c> twins.</summary>
    public static bool IsCompletedFactory(IOperation operation, PipelinesTypes types)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCancelled" or "FromCanceled" } method }
                => types.IsFutureType(method.ContainingType) || PipelinesTypes.Is(method.ContainingType, types.Task),
            IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedFuture" or "CompletedTask" } property }
                => types.IsFutureType(property.ContainingType) || PipelinesTypes.Is(property.ContainingType, types.Task),
            _ => false,
        };
    }

    /// <summary>
    /// The collection <paramref name="awaited"/> is an element of: <c>list[i]</c>, <c>list.First()</c>, a <c>foreach</c>
    /// variable over it, or the first parameter of a lambda passed to a LINQ operator or <c>ForEach</c> over it.
    /// </summary>
    private static IOperation? ElementSource(IOperation awaited, ISymbol? receiver, IOperation wait, PipelinesTypes types)
    {
        switch (awaited)
        {
            case IArrayElementReferenceOperation element:
                return element.ArrayReference;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } list }:
                return list;
            case IInvocationOperation { TargetMethod.Name: "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault" or "ElementAt" or "ElementAtOrDefault" } invocation:
                return Sequences.SourceOf(invocation, types);
        }

        for (IOperation? current = wait.Parent; current is not null && receiver is not null; current = current.Parent)
        {
            switch (current)
            {
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation variable } loop
                    when SymbolEqualityComparer.Default.Equals(variable.Symbol, receiver):
                    return loop.Collection;
                case IAnonymousFunctionOperation function
                    when receiver is IParameterSymbol { Ordinal: 0 } parameter
                        && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, function.Symbol):
                    return Delegates.DirectTargetOf(function) is IInvocationOperation { TargetMethod.Name: not "Aggregate" } target
                        ? Sequences.SourceOf(target, types)
                        : null;
            }
        }

        return null;
    }

    /// <summary>The <c>Done</c> half of <c>Futures.Wait</c>/<c>WaitAsync</c>: <c>result.Done</c>, or <c>done</c> in <c>var (done, _) = …</c>.</summary>
    private static bool IsDoneHalfOfWait(IOperation origin, PipelinesTypes types)
    {
        switch (origin)
        {
            case IPropertyReferenceOperation { Property.Name: "Done", Instance: { } result }:
                return IsWaitResult(result, types);
            case IFieldReferenceOperation { Field.Name: "Done", Instance: { } tuple }:
                return IsWaitResult(tuple, types);
            case ILocalReferenceOperation { Local: { } local }:
                return Locals.SingleValue(local, origin, out int tupleIndex) is { } value && tupleIndex == 0 && IsWaitResult(value, types);
            default:
                return false;
        }
    }

    private static bool IsWaitResult(IOperation operation, PipelinesTypes types)
    {
        while (operation is IConversionOperation or IAwaitOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IAwaitOperation)operation).Operation;
        }

        if (operation is ILocalReferenceOperation { Local: { } local } && Locals.SingleValue(local, operation, out int tupleIndex) is { } value && tupleIndex < 0)
        {
            return IsWaitResult(value, types);
        }

        return operation is IInvocationOperation { TargetMethod: { Name: "Wait" or "WaitAsync" } method }
            && PipelinesTypes.Is(method.ContainingType, types.Futures);
    }
}
