using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0001: a blocking wait (<c>GetResult</c>, <c>Wait</c>, <c>Futures.Wait</c>, <c>Task.Result</c>,
/// <c>GetAwaiter().GetResult()</c>, …) inside code that runs on an executor — a <c>[Submittable]</c> body, or a
/// lambda or method group passed to <c>Submit</c>, <c>Map</c> or a generated stub. A worker that blocks holds its
/// pool slot; when every worker blocks on work still queued behind it, the pool deadlocks or starves.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0001BlockingWaitInExecutorWorkAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0001";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Do not block on a future or task inside work that runs on an executor",
        messageFormat: "'{0}' blocks a worker thread inside {1}; when every worker of the pool waits like this the pipeline deadlocks or starves — await it, or pass the future to a stub",
        category: "Pipelines.Deadlock",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Code that runs on an executor should not wait synchronously for other futures or tasks: the waiting worker cannot run the work it waits for. Await the future in an async method, or pass it to a generated stub, which unwraps it when it completes without blocking a thread.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0001.md");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            PipelinesTypes? types = PipelinesTypes.TryCreate(start.Compilation);
            if (types is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbolStart => ExecutorWorkScope.Register(symbolStart, types, (operationContext, scope) => Analyze(operationContext, scope, types), OperationKind.Invocation, OperationKind.PropertyReference),
                SymbolKind.NamedType);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ExecutorWorkScope scope, PipelinesTypes types)
    {
        if (!BlockingWaits.TryMatch(context.Operation, types, out BlockingWait wait))
        {
            return;
        }

        WorkContext work = scope.Classify(context.Operation, context.ContainingSymbol);
        if (work.Kind == WorkContextKind.OnDoneCallback || CompletedFutures.IsKnownComplete(wait, work, types))
        {
            // OnDone callbacks are PIPE0004's business.
            return;
        }

        Location location = context.Operation.Syntax.GetLocation();
        Location[] additional = FixData.LocationsForWait(wait);
        ImmutableDictionary<string, string?> properties = FixData.ForWait(wait, context.ContainingSymbol);

        // A result that feeds a stub is better fixed by passing the future (PIPE0003 reports it too).
        if (StubArguments.StubArgumentOf(wait, types) is { } argument && StubArguments.FutureToPass(wait, argument, types) is { } future)
        {
            additional = new[] { future.Syntax.GetLocation() };
            properties = ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.PassFuture);
        }

        string name = wait.DisplayName;
        scope.ReportOrDefer(context, work, description => Diagnostic.Create(Rule, location, additional, properties, name, description));
    }
}
