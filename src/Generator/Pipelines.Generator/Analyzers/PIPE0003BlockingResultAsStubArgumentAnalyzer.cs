using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0003: <c>executor.SubmitAdd(a.GetResult(), b)</c>. Every stub parameter accepts a future and unwraps it
/// when it completes; taking the result first blocks the caller and serialises the pipeline. The fix passes
/// <c>a</c> itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0003BlockingResultAsStubArgumentAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0003";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Pass the future to the stub instead of its blocking result",
        messageFormat: "'{0}' blocks the caller until the future completes before '{1}' can even be queued; pass the future itself — the stub unwraps it without blocking a thread",
        category: "Pipelines.Deadlock",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Generated Submit…/Then… stubs accept a future for every parameter and start the call when the future completes. Taking its result first blocks the calling thread (on a pool, a worker) and removes the parallelism the pipeline was built for.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0003.md");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            PipelinesTypes? types = PipelinesTypes.TryCreate(start.Compilation);
            if (types?.FutureOr is null)
            {
                return;
            }

            start.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!ExecutorWork.IsStub(invocation.TargetMethod, types))
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

            if (!BlockingWaits.TryMatch(value, types, out BlockingWait wait) || StubArguments.StubArgumentOf(wait, types) is null)
            {
                continue;
            }

            IOperation? future = StubArguments.FutureToPass(wait, argument, types);
            ImmutableDictionary<string, string?> properties = future is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.PassFuture);
            context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                value.Syntax.GetLocation(),
                future is null ? null : new[] { future.Syntax.GetLocation() },
                properties,
                wait.DisplayName,
                invocation.TargetMethod.Name));
        }
    }
}
