using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0004: a blocking wait on a future while holding a <c>lock</c>, and any blocking wait inside an
/// <c>OnDone</c> callback — except on the callback's own future, which is complete when the callback runs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0004BlockingWaitUnderLockOrInCallbackAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0004";

    internal const string UnderLock = "while holding a lock; if the work it waits for needs the same lock, or the thread, nothing can make progress — wait after releasing the lock";

    internal const string InCallback = "inside an OnDone callback, which runs on the thread that completed the future (often a pool worker) and delays every later callback — chain the work with a stub or Then… instead";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Do not block on a future while holding a lock or inside an OnDone callback",
        messageFormat: "'{0}' blocks {1}",
        category: "Pipelines.Deadlock",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A thread that holds a lock and waits for a future deadlocks as soon as the future's work needs that lock. An OnDone callback runs on the thread that completed the future; blocking it stalls a worker and every callback queued after it. Only the callback's own future is known to be complete there.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0004.md");

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

            start.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.Invocation, OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        if (!BlockingWaits.TryMatch(context.Operation, types, out BlockingWait wait))
        {
            return;
        }

        WorkContext work = ExecutorWork.Classify(context.Operation, context.ContainingSymbol, types);
        string? where = work.Kind == WorkContextKind.OnDoneCallback
            ? InCallback
            : wait.OnFuture && IsUnderLock(context.Operation) ? UnderLock : null;
        if (where is null || CompletedFutures.IsKnownComplete(wait, work, types))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), wait.DisplayName, where));
    }

    /// <summary>True inside the body of a <c>lock</c> statement of the same function (a lambda there runs later, maybe unlocked).</summary>
    private static bool IsUnderLock(IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }
}
