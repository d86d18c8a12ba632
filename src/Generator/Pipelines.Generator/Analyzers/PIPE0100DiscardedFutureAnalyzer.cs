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
/// and for the runtime's completed-future factories (<c>Future.FromResult</c> and friends).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0100DiscardedFutureAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0100";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Observe the future a submission returns",
        messageFormat: "The future returned by '{0}' is discarded, so an exception thrown by the work is never observed; await it, keep it and wait for it later, or discard it explicitly with '_ ='",
        category: "Pipelines.Usage",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A future is the only place a submitted call's exception goes. Dropping it on the floor makes failures silent. Await it, keep it for Futures.Wait/AsCompleted, or write '_ = …' to say the loss is intended.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0100.md");

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

            start.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.ExpressionStatement);
        });
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        IOperation expression = ((IExpressionStatementOperation)context.Operation).Operation;
        IOperation value = expression;
        if (value is IConditionalAccessOperation conditionalAccess)
        {
            value = conditionalAccess.WhenNotNull;
        }

        if (value is not IInvocationOperation invocation
            || !types.IsFuture(invocation.TargetMethod.ReturnType)
            || (invocation.TargetMethod.IsStatic && types.IsFuture(invocation.TargetMethod.ContainingType)))
        {
            return;
        }

        // 'await x?.Submit(…)' would throw on null, so a conditional access gets no fix.
        ImmutableDictionary<string, string?> properties = expression is IInvocationOperation && FixData.CanAwait(context.Operation, context.ContainingSymbol)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, FixData.Await)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Rule, expression.Syntax.GetLocation(), properties, invocation.TargetMethod.Name));
    }
}
