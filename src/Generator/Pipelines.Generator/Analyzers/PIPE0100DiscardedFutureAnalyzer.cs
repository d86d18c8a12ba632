using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0100: a call that returns a future — <c>Submit</c>, a generated stub, any method returning
/// <c>Future</c>/<c>Future&lt;T&gt;</c> — used as a statement, so the future is dropped and an exception thrown by
/// the work is never observed. Quiet for <c>_ = …</c>, assignments, <c>await</c>, <c>return</c> and arguments,
/// for the runtime's completed-future factories (<c>Future.FromResult</c> and friends), and for a runtime method that
/// returns the future it is called on (<c>kept.CancelAfter(t);</c> drops nothing: <c>kept</c> is still held), unless
/// that future is itself a dropped call's (<c>pool.SubmitWork().CancelAfter(t);</c>). In an async function the
/// compiler's CS4014 fires on the same statement; <see cref="PIPE0100DiscardedFutureSuppressor"/> suppresses it there,
/// so the statement is reported once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0100DiscardedFutureAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0100.</summary>
    public const string Id = DiagnosticDescriptors.DiscardedFutureId;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.DiscardedFuture);

    /// <summary>The call whose future <paramref name="statement"/> drops, or null. PIPE0100 reports exactly these statements.</summary>
    internal static IInvocationOperation? DiscardedCall(IExpressionStatementOperation statement, PipelinesTypes types)
        => DroppedFutureOf(StatementValue(statement), types);

    /// <summary>
    /// True when <paramref name="statement"/> is a chain of calls that return their receiver (<c>kept.CancelAfter(t);</c>)
    /// on a future the code still holds: its value is dropped, but no future is.
    /// </summary>
    internal static bool DropsOnlyAKeptReceiver(IExpressionStatementOperation statement, PipelinesTypes types)
        => StatementValue(statement) is IInvocationOperation invocation
            && types.ReturnsItsReceiver(invocation.TargetMethod)
            && DroppedFutureOf(invocation, types) is null;

    private static IOperation StatementValue(IExpressionStatementOperation statement)
        => statement.Operation is IConditionalAccessOperation conditionalAccess ? conditionalAccess.WhenNotNull : statement.Operation;

    /// <summary>The call whose future is lost when <paramref name="value"/> is dropped, following receiver-returning calls to their receiver.</summary>
    private static IInvocationOperation? DroppedFutureOf(IOperation value, PipelinesTypes types)
    {
        while (value is IInvocationOperation invocation
            && types.IsFuture(invocation.TargetMethod.ReturnType)
            && !(invocation.TargetMethod.IsStatic && types.IsFuture(invocation.TargetMethod.ContainingType)))
        {
            if (!types.ReturnsItsReceiver(invocation.TargetMethod))
            {
                return invocation;
            }

            // Its result is its receiver: the receiver's own expression decides whether a future is lost.
            IOperation? receiver = invocation.Instance;
            while (receiver is IConversionOperation { IsImplicit: true } conversion)
            {
                receiver = conversion.Operand;
            }

            if (receiver is null)
            {
                return null;
            }

            value = receiver;
        }

        return null;
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => context.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.ExpressionStatement);

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        if (DiscardedCall(statement, types) is not { } dropped)
        {
            return;
        }

        // '_ = …' is a discard only where no variable or parameter named '_' is in scope; there it would assign to it.
        bool canDiscard = statement.SemanticModel?.LookupSymbols(statement.Syntax.SpanStart, name: "_").IsEmpty == true;
        bool canAwait = CanAwaitInstead(statement, dropped, context.ContainingSymbol);
        string? fix = (canDiscard, canAwait) switch
        {
            (true, true) => FixData.DiscardOrAwait,
            (true, false) => FixData.Discard,
            (false, true) => FixData.Await,
            _ => null,
        };
        ImmutableDictionary<string, string?> properties = fix is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(FixData.Fix, fix);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DiscardedFuture, statement.Operation.Syntax.GetLocation(), properties, dropped.TargetMethod.Name));
    }

    /// <summary>
    /// Whether <c>await</c> is a valid rewrite of the statement: an async function, outside a <c>lock</c> and an
    /// <c>unsafe</c> block, no conditional access (<c>await x?.Submit(…)</c> would throw on null), and the dropped call is
    /// the statement itself — behind a receiver-returning call such as <c>CancelAfter</c> the code expects the future to
    /// be cancelled, and awaiting it would throw that cancellation at the caller.
    /// </summary>
    private static bool CanAwaitInstead(IExpressionStatementOperation statement, IInvocationOperation dropped, ISymbol containingSymbol)
        => ReferenceEquals(statement.Operation, dropped)
            && FixData.CanAwait(statement, containingSymbol)
            && !InUnsafeContext(statement.Syntax);

    /// <summary><c>await</c> is not allowed in an unsafe context (CS4004): an <c>unsafe</c> block, member or type around the code.</summary>
    private static bool InUnsafeContext(SyntaxNode node)
    {
        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            bool isUnsafe = ancestor switch
            {
                UnsafeStatementSyntax => true,
                MemberDeclarationSyntax member => member.Modifiers.Any(SyntaxKind.UnsafeKeyword),
                LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.UnsafeKeyword),
                _ => false,
            };
            if (isUnsafe)
            {
                return true;
            }
        }

        return false;
    }
}
