using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// What the rules need to know about LINQ: which calls enumerate their source at once (<c>Sum</c>, <c>ToList</c>,
/// <c>First</c>…) and which only describe a query (<c>Select</c>, <c>Where</c>…), where a query's elements come from,
/// and which lambdas run before the statement that passes them ends.
/// </summary>
internal static class Sequences
{
    /// <summary>
    /// A call of <c>System.Linq.Enumerable</c> that enumerates its source before it returns: everything that does not
    /// return a lazy <c>IEnumerable&lt;T&gt;</c> (<c>ToLookup</c> returns an interface but is not lazy), plus
    /// <c>List&lt;T&gt;.ForEach</c> and <c>Array.ForEach</c>.
    /// </summary>
    public static bool IsImmediate(IInvocationOperation invocation, PipelinesTypes types)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (IsForEach(method, types))
        {
            return true;
        }

        return PipelinesTypes.Is(method.ContainingType, types.Enumerable)
            && (method.Name == "ToLookup" || !IsLazySequence(method.ReturnType));
    }

    /// <summary>A call of <c>System.Linq.Enumerable</c> that returns a lazy sequence over its source (<c>Select</c>, <c>Where</c>…).</summary>
    public static bool IsDeferred(IInvocationOperation invocation, PipelinesTypes types)
        => PipelinesTypes.Is(invocation.TargetMethod.ContainingType, types.Enumerable) && !IsImmediate(invocation, types);

    /// <summary>The sequence a LINQ call or <c>ForEach</c> reads: the extension's <c>this</c> argument, or the list.</summary>
    public static IOperation? SourceOf(IInvocationOperation invocation, PipelinesTypes types)
    {
        if (invocation.Instance is { } instance && IsForEach(invocation.TargetMethod, types))
        {
            return instance;
        }

        return (PipelinesTypes.Is(invocation.TargetMethod.ContainingType, types.Enumerable) || IsForEach(invocation.TargetMethod, types))
            && invocation.Arguments.Length > 0
                ? invocation.Arguments[0].Value
                : null;
    }

    /// <summary>
    /// Where a sequence's elements come from: through conversions, lazy LINQ calls (<c>Select</c>, <c>Where</c>…, whose
    /// source is their first argument), <c>WithCancellation</c>/<c>ConfigureAwait</c> on an async sequence, and lazily
    /// typed locals given one value.
    /// </summary>
    public static IOperation Origin(IOperation sequence, PipelinesTypes types)
    {
        for (int hops = 0; hops < 16; hops++)
        {
            switch (sequence)
            {
                case IConversionOperation conversion:
                    sequence = conversion.Operand;
                    continue;
                case IInvocationOperation invocation when IsDeferred(invocation, types) && SourceOf(invocation, types) is { } source:
                    sequence = source;
                    continue;
                case IInvocationOperation { TargetMethod: { Name: "WithCancellation" or "ConfigureAwait", ContainingType.Name: "TaskAsyncEnumerableExtensions" } } configured
                    when configured.Arguments.Length > 0:
                    sequence = configured.Arguments[0].Value;
                    continue;
                case ILocalReferenceOperation { Local: { } local } when IsLazySequence(local.Type)
                    && Locals.SingleValue(local, sequence, out int tupleIndex) is { } value && tupleIndex < 0:
                    sequence = value;
                    continue;
            }

            break;
        }

        return sequence;
    }

    /// <summary>
    /// How the message names a sequence whose enumeration blocks — <c>Futures.AsCompleted(…)</c> or the results of
    /// <c>executor.Map(…)</c> — or null for any other sequence.
    /// </summary>
    public static string? BlockingSourceName(IOperation sequence, PipelinesTypes types)
        => Origin(sequence, types) switch
        {
            IInvocationOperation { TargetMethod: { Name: "AsCompleted" } method } when PipelinesTypes.Is(method.ContainingType, types.Futures) => "Futures.AsCompleted(…)",
            IInvocationOperation { TargetMethod: { Name: "Map" } method } when PipelinesTypes.Is(method.ContainingType, types.ExecutorExtensions) => "Map(…)",
            _ => null,
        };

    /// <summary>True for <c>Futures.AsCompleted(…)</c> and <c>Futures.AsCompletedAsync(…)</c>: every element is a completed future.</summary>
    public static bool IsAsCompleted(IOperation origin, PipelinesTypes types)
        => origin is IInvocationOperation { TargetMethod: { Name: "AsCompleted" or "AsCompletedAsync" } method }
            && PipelinesTypes.Is(method.ContainingType, types.Futures);

    /// <summary>
    /// A lambda that runs inline with the code around it: passed to a LINQ operator or <c>ForEach</c>. (A LINQ
    /// lambda runs when the query is enumerated; the rules treat it as running where the query is written.)
    /// </summary>
    public static bool IsInline(IAnonymousFunctionOperation function, PipelinesTypes types)
        => Delegates.DirectTargetOf(function) is IInvocationOperation target
            && (PipelinesTypes.Is(target.TargetMethod.ContainingType, types.Enumerable) || IsForEach(target.TargetMethod, types));

    /// <summary>
    /// A lambda that runs before the statement that passes it ends: given to an operator that enumerates at once,
    /// or to a lazy operator whose query is enumerated at once (<c>xs.Select(f).Sum()</c>, <c>foreach (… in xs.Where(f))</c>).
    /// </summary>
    public static bool RunsAtOnce(IAnonymousFunctionOperation function, PipelinesTypes types)
    {
        IInvocationOperation? call = Delegates.DirectTargetOf(function) as IInvocationOperation;
        for (int hops = 0; call is not null && hops < 16; hops++)
        {
            if (IsImmediate(call, types))
            {
                return true;
            }

            if (!IsDeferred(call, types))
            {
                return false;
            }

            // The lazy query runs if the next consumer up enumerates it at once.
            IOperation consumer = call;
            while (consumer.Parent is IConversionOperation)
            {
                consumer = consumer.Parent;
            }

            switch (consumer.Parent)
            {
                case IForEachLoopOperation loop when loop.Collection == consumer:
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation next } argument when next.Arguments.Length > 0 && next.Arguments[0] == argument:
                    call = next;
                    break;
                case IInvocationOperation next when next.Instance == consumer:
                    call = next;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsForEach(IMethodSymbol method, PipelinesTypes types)
        => method.Name == "ForEach"
            && (PipelinesTypes.Is(method.ContainingType, types.ListOfT) || PipelinesTypes.Is(method.ContainingType, types.Array));

    /// <summary>A lazily produced sequence type: an interface that is <c>IEnumerable&lt;T&gt;</c> or extends it (<c>IOrderedEnumerable&lt;T&gt;</c>).</summary>
    private static bool IsLazySequence(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named
            && (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || named.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T));
}
