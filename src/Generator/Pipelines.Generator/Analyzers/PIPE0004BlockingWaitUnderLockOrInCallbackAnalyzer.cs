using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0004: a blocking wait on a future while holding a <c>lock</c> — including in a lambda a LINQ operator runs
/// before the lock is released (<c>lock (gate) { futures.Sum(f => f.GetResult()); }</c>) — and any blocking wait
/// inside an <c>OnDone</c> callback, lambda or method group, except on the callback's own future, which is complete
/// when the callback runs. Methods the lock body or the callback call are followed as for PIPE0001.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0004BlockingWaitUnderLockOrInCallbackAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0004.</summary>
    public const string Id = DiagnosticDescriptors.BlockingWaitUnderLockOrInCallbackId;

    internal const string UnderLockAdvice = "if the work it waits for needs the same lock, or the thread, nothing can make progress — wait after releasing the lock";

    internal const string InCallbackAdvice = "callbacks run on the thread that completed the future (often a pool worker) and delay every later callback — chain the work with a stub or Then… instead";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(
        DiagnosticDescriptors.BlockingWaitUnderLockOrInCallback,
        DiagnosticDescriptors.BlockingWaitReachedUnderLockOrInCallback);

    // Under a lock only waits on futures count (tasks are the task analyzers' business); in a callback, every wait.
    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => CallGraph.Register(
            context,
            (operationContext, graph) => Analyze(operationContext, types, graph),
            (kind, site) => kind != RootKind.Lock || site.OnFuture,
            Report,
            OperationKind.Loop);

    private static Diagnostic Report(ReachedSite reached)
    {
        string where = reached.Kind == RootKind.Lock
            ? $"while a lock is held ({reached.Path}); {UnderLockAdvice}"
            : $"inside an OnDone callback ({reached.Path}); {InCallbackAdvice}";
        return Diagnostic.Create(DiagnosticDescriptors.BlockingWaitReachedUnderLockOrInCallback, reached.Site.Location, reached.Site.Name, Names.Of(reached.Method), where);
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types, CallGraph graph)
    {
        IOperation operation = context.Operation;
        if (operation is IInvocationOperation invocation && ExecutorWork.IsOnDone(invocation.TargetMethod, types))
        {
            foreach (PassedMethod passed in Delegates.MethodGroupsPassedTo(invocation))
            {
                if (CallGraph.IsFollowable(passed.Method, context.Compilation))
                {
                    graph.AddRoot(passed.Method, RootKind.Callback, passed.How, firstParameterComplete: true);
                }
            }
        }

        if (BlockingWaits.TryMatch(operation, types, out BlockingWait wait))
        {
            AnalyzeWait(context, wait, types, graph);
        }
        else if (CallGraph.CalleeOf(operation, context.Compilation, types) is { } callee)
        {
            WorkContext work = ExecutorWork.Classify(operation, context.ContainingSymbol, types);
            string name = Names.Of(callee);
            if (work.Kind == WorkContextKind.OnDoneCallback)
            {
                graph.AddRoot(callee, RootKind.Callback, $"an OnDone callback calls '{name}'");
            }
            else if (work.Kind != WorkContextKind.Elsewhere && IsUnderLock(operation, types))
            {
                graph.AddRoot(callee, RootKind.Lock, $"'{(work.Owner is { } owner ? Names.Of(owner) : name)}' holds a lock while it calls '{name}'");
            }
            else if (work.Kind != WorkContextKind.Elsewhere && work.Owner is { } owner)
            {
                graph.AddCall(owner, callee);
            }
        }
    }

    private static void AnalyzeWait(OperationAnalysisContext context, in BlockingWait wait, PipelinesTypes types, CallGraph graph)
    {
        WorkContext work = ExecutorWork.Classify(wait.Operation, context.ContainingSymbol, types);
        if (work.Kind == WorkContextKind.Elsewhere || CompletedFutures.IsKnownComplete(wait, work, types))
        {
            return;
        }

        Location location = wait.Operation.Syntax.GetLocation();
        string? where = work.Kind == WorkContextKind.OnDoneCallback ? "inside an OnDone callback, which runs on the thread that completed the future (often a pool worker) and delays every later callback — chain the work with a stub or Then… instead"
            : wait.OnFuture && IsUnderLock(wait.Operation, types) ? "while holding a lock; " + UnderLockAdvice
            : null;
        if (where is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWaitUnderLockOrInCallback, location, wait.DisplayName, where));
        }
        else if (work.Owner is { } owner)
        {
            graph.AddSite(owner, new BlockingSite(location, wait.DisplayName, wait.OnFuture, BlockingWaits.ReceiverSymbol(wait.Awaited)));
        }
    }

    /// <summary>
    /// True inside the body of a <c>lock</c> statement of the same function. A lambda there runs under the lock only
    /// if it runs before the statement ends (a LINQ operator that enumerates at once); one kept for later may not.
    /// </summary>
    private static bool IsUnderLock(IOperation operation, PipelinesTypes types)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return true;
                case IAnonymousFunctionOperation function when !Sequences.RunsAtOnce(function, types):
                case ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }
}
