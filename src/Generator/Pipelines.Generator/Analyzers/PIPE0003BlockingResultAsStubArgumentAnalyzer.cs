using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0003: <c>executor.SubmitAdd(a.GetResult(), b)</c>. Every stub parameter accepts a future and unwraps it
/// when it completes; taking the result first blocks the caller and serialises the pipeline. The fix passes
/// <c>a</c> itself. A future known to be complete (<see cref="CompletedFutures"/>, the same facts as PIPE0001) is
/// not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0003BlockingResultAsStubArgumentAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0003.</summary>
    public const string Id = DiagnosticDescriptors.BlockingResultAsStubArgumentId;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.BlockingResultAsStubArgument);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
    {
        if (types.FutureOr is not null)
        {
            context.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.Invocation);
        }
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!GeneratedStubs.IsStub(invocation.TargetMethod, types))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (!BlockingWaits.TryMatch(value, types, out BlockingWait wait)
                || StubArguments.StubArgumentOf(wait, types) is null
                || CompletedFutures.IsKnownComplete(wait, ExecutorWork.Classify(value, context.ContainingSymbol, types), types))
            {
                continue;
            }

            IOperation? future = StubArguments.FutureToPass(wait, argument, types);
            ImmutableDictionary<string, string?> properties = future is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.PassFuture);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.BlockingResultAsStubArgument,
                value.Syntax.GetLocation(),
                future is null ? null : new[] { future.Syntax.GetLocation() },
                properties,
                wait.DisplayName,
                invocation.TargetMethod.Name));
        }
    }
}
