using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>Blocking results that feed a generated stub's <c>FutureOr&lt;T&gt;</c> parameter, where the future itself could go.</summary>
internal static class StubArguments
{
    /// <summary>
    /// The stub argument <paramref name="wait"/> is the value of (through the conversion to <c>FutureOr&lt;T&gt;</c>),
    /// when it waits on a <c>Future&lt;T&gt;</c>; otherwise null.
    /// </summary>
    public static IArgumentOperation? StubArgumentOf(in BlockingWait wait, PipelinesTypes types)
    {
        IOperation? current = wait.Operation.Parent;
        while (current is IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation invocation, Parameter: { } parameter } argument
            && PipelinesTypes.Is(parameter.Type, types.FutureOr)
            && wait.Awaited is not null
            && types.IsFutureOfT(BlockingWaits.StripConfigureAwait(wait.Awaited)?.Type, out _)
            && GeneratedStubs.IsStub(invocation.TargetMethod, types)
                ? argument
                : null;
    }

    /// <summary>
    /// The future to pass instead of <paramref name="wait"/>, when passing it is an exact rewrite: the wait has no
    /// timeout and the future's <c>T</c> is the parameter's, so the call still binds.
    /// </summary>
    public static IOperation? FutureToPass(in BlockingWait wait, IArgumentOperation argument, PipelinesTypes types)
    {
        IOperation? future = BlockingWaits.StripConfigureAwait(wait.Awaited);
        return wait.Fix == BlockingWaitFix.Await
            && types.IsFutureOfT(future?.Type, out ITypeSymbol? resultType)
            && argument.Parameter?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } parameterType
            && SymbolEqualityComparer.Default.Equals(resultType, parameterType.TypeArguments[0])
                ? future
                : null;
    }
}
