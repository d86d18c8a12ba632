using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0100: a call that returns a future — <c>Submit</c>, a generated stub, any method returning
/// <c>Future</c>/<c>Future&lt;T&gt;</c> — used as a statement, so the future is dropped and an exception thrown by
/// the work is never observed. Quiet for <c>_ = …</c>, assignments, <c>await</c>, <c>return</c> and arguments,
/// and for the runtime's completed-future factories (<c>Future.FromResult</c> and friends). In an async function the
/// compiler's CS4014 fires on the same statement; <see cref="PIPE0100DiscardedFutureSuppressor"/> suppresses it there,
/// so the statement is reported once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0100DiscardedFutureAnalyzer : PipelinesAnalyzer
{
    public const string Id = DiagnosticDescriptors.DiscardedFutureId;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.DiscardedFuture);

    /// <summary>The call whose future <paramref name="statement"/> drops, or null. PIPE0100 reports exactly these statements.</summary>
    internal static IInvocationOperation? DiscardedCall(IExpressionStatementOperation statement, PipelinesTypes types)
    {
        IOperation value = statement.Operation is IConditionalAccessOperation conditionalAccess ? conditionalAccess.WhenNotNull : statement.Operation;
        return value is IInvocationOperation invocation
            && types.IsFuture(invocation.TargetMethod.ReturnType)
            && !(invocation.TargetMethod.IsStatic && types.IsFuture(invocation.TargetMethod.ContainingType))
                ? invocation
                : null;
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => context.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.ExpressionStatement);

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        if (DiscardedCall(statement, types) is not { } invocation)
        {
            return;
        }

        // 'await x?.Submit(…)' would throw on null, so a conditional access gets no fix.
        ImmutableDictionary<string, string?> properties = statement.Operation is IInvocationOperation && FixData.CanAwait(statement, context.ContainingSymbol)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.Await)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DiscardedFuture, statement.Operation.Syntax.GetLocation(), properties, invocation.TargetMethod.Name));
    }
}
