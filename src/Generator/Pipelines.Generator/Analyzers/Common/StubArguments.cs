using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Blocking results that feed a generated stub's parameter where the future itself could go: a <c>FutureOr&lt;T&gt;</c>
/// parameter, or the plain <c>T</c> parameter of a stub's all-values form (it has a futures twin that takes the future).
/// </summary>
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
            && wait.Awaited is not null
            && types.IsFutureOfT(BlockingWaits.StripConfigureAwait(wait.Awaited)?.Type, out ITypeSymbol? resultType)
            && (PipelinesTypes.Is(parameter.Type, types.FutureOr) || SymbolEqualityComparer.Default.Equals(parameter.Type, resultType))
            && GeneratedStubs.IsStub(invocation.TargetMethod, types)
                ? argument
                : null;
    }

    /// <summary>
    /// The future to pass instead of <paramref name="wait"/>, when passing it is an exact rewrite: the wait has no
    /// timeout and the future's <c>T</c> is the parameter's, so the call still binds (to the stub's futures form when
    /// the argument went to its all-values form).
    /// </summary>
    public static IOperation? FutureToPass(in BlockingWait wait, IArgumentOperation argument, PipelinesTypes types)
    {
        IOperation? future = BlockingWaits.StripConfigureAwait(wait.Awaited);
        ITypeSymbol? valueType = argument.Parameter?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } parameterType && PipelinesTypes.Is(parameterType, types.FutureOr)
            ? parameterType.TypeArguments[0]
            : argument.Parameter?.Type;
        return wait.Fix == BlockingWaitFix.Await
            && types.IsFutureOfT(future?.Type, out ITypeSymbol? resultType)
            && SymbolEqualityComparer.Default.Equals(resultType, valueType)
                ? future
                : null;
    }
}
