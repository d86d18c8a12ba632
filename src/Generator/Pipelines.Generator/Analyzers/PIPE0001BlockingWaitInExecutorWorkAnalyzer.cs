using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0001: a blocking wait (<c>GetResult</c>, <c>Wait</c>, <c>Futures.Wait</c>, <c>Task.Result</c>,
/// <c>GetAwaiter().GetResult()</c>, enumerating <c>Futures.AsCompleted</c> or <c>Map</c> results, …) in code that runs
/// on an executor — a <c>[Submittable]</c> body, a lambda passed to <c>Submit</c>, <c>Map</c> or a generated stub
/// (directly or through a local) — or in a method such code reaches: a method group it submits, or a method it calls,
/// followed <see cref="CallGraph.MaxDepth"/> calls deep. A worker that blocks holds its pool slot; when every worker
/// blocks on work still queued behind it, the pool deadlocks or starves. Waits in the work itself are reported as
/// the code is analysed; waits reached through calls at compilation end, naming the path.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0001BlockingWaitInExecutorWorkAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0001.</summary>
    public const string Id = DiagnosticDescriptors.BlockingWaitInExecutorWorkId;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(
        DiagnosticDescriptors.BlockingWaitInExecutorWork,
        DiagnosticDescriptors.BlockingWaitReachedFromExecutorWork);

    // Waits reached through calls are reported at compilation end without fix data: fixes are for waits in place.
    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => CallGraph.Register(
            context,
            (operationContext, graph) => Analyze(operationContext, types, graph),
            (_, _) => true,
            reached => Diagnostic.Create(DiagnosticDescriptors.BlockingWaitReachedFromExecutorWork, reached.Site.Location, reached.Site.Name, Names.Of(reached.Method), reached.Path),
            OperationKind.Loop);

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types, CallGraph graph)
    {
        if (!BlockingWaits.TryMatch(context.Operation, types, out BlockingWait wait))
        {
            ExecutorWork.RecordCalls(context, graph, types);
            return;
        }

        // OnDone callbacks are PIPE0004's business; code on the .NET pool is the task analyzers'.
        WorkContext work = ExecutorWork.Classify(wait.Operation, context.ContainingSymbol, types);
        if (work.Kind is WorkContextKind.OnDoneCallback or WorkContextKind.Elsewhere || CompletedFutures.IsKnownComplete(wait, work, types))
        {
            return;
        }

        Location location = wait.Operation.Syntax.GetLocation();
        if (work.IsExecutorWork)
        {
            (ImmutableDictionary<string, string?> properties, Location[] additional) = FixFor(wait, context.ContainingSymbol, types);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWaitInExecutorWork, location, additional, properties, wait.DisplayName, work.Description));
        }
        else if (work.Owner is { } owner)
        {
            graph.AddSite(owner, new BlockingSite(location, wait.DisplayName, wait.OnFuture, BlockingWaits.ReceiverSymbol(wait.Awaited)));
        }
    }

    /// <summary>The wait with its fix: pass the future when the result feeds a stub (PIPE0003 reports it too), else await.</summary>
    private static (ImmutableDictionary<string, string?> Properties, Location[] Additional) FixFor(in BlockingWait wait, ISymbol containingSymbol, PipelinesTypes types)
    {
        Location[] additional = FixData.LocationsForWait(wait);
        ImmutableDictionary<string, string?> properties = FixData.ForWait(wait, containingSymbol);
        if (StubArguments.StubArgumentOf(wait, types) is { } argument && StubArguments.FutureToPass(wait, argument, types) is { } future)
        {
            additional = new[] { future.Syntax.GetLocation() };
            properties = ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.PassFuture);
        }

        return (properties, additional);
    }
}
