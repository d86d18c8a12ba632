using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// In an async function, a statement that drops a future gets both the compiler's CS4014 ("this call is not
/// awaited") and PIPE0100. This suppresses CS4014 exactly where PIPE0100 reports (the same
/// <see cref="PIPE0100DiscardedFutureAnalyzer.DiscardedCall"/> test), so the statement is reported once, by the rule
/// that says what is lost (the work's exception) and offers the fix. Where PIPE0100 is turned off for the file or
/// project (<c>NoWarn</c>, <c>.editorconfig</c>), CS4014 stays. It also suppresses CS4014 on a runtime call that returns
/// the future it is called on, made on a future the code keeps (<c>kept.CancelAfter(t);</c>,
/// <see cref="PIPE0100DiscardedFutureAnalyzer.DropsOnlyAKeptReceiver"/>): nothing is left unawaited there that is not
/// awaited elsewhere, and a false alarm would break builds with warnings as errors.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0100DiscardedFutureSuppressor : DiagnosticSuppressor
{
    /// <summary>The compiler warning this suppresses.</summary>
    public const string SuppressedId = "CS4014";

    internal static readonly SuppressionDescriptor Descriptor = new(
        id: "PIPESPR0100",
        suppressedDiagnosticId: SuppressedId,
        justification: "PIPE0100 reports this discarded future, with a message about the lost exception and an 'await' fix");

    internal static readonly SuppressionDescriptor KeptReceiverDescriptor = new(
        id: "PIPESPR0101",
        suppressedDiagnosticId: SuppressedId,
        justification: "The call returns the future it is called on (CancelAfter), which the code keeps: no future is discarded");

    /// <inheritdoc/>
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => ImmutableArray.Create(Descriptor, KeptReceiverDescriptor);

    /// <inheritdoc/>
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        PipelinesTypes? types = PipelinesTypes.TryCreate(context.Compilation);
        if (types is null)
        {
            return;
        }

        bool offForProject = IsTurnedOff(context.Compilation.Options, tree: null, context);
        foreach (Diagnostic diagnostic in context.ReportedDiagnostics)
        {
            if (diagnostic.Location.SourceTree is not { } tree
                || tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } statement
                || context.GetSemanticModel(tree).GetOperation(statement, context.CancellationToken) is not IExpressionStatementOperation operation)
            {
                continue;
            }

            // A kept future's receiver-returning call is a false alarm whether or not PIPE0100 is on.
            if (PIPE0100DiscardedFutureAnalyzer.DropsOnlyAKeptReceiver(operation, types))
            {
                context.ReportSuppression(Suppression.Create(KeptReceiverDescriptor, diagnostic));
            }
            else if (!offForProject
                && !IsTurnedOff(context.Compilation.Options, tree, context)
                && PIPE0100DiscardedFutureAnalyzer.DiscardedCall(operation, types) is not null)
            {
                context.ReportSuppression(Suppression.Create(Descriptor, diagnostic));
            }
        }
    }

    /// <summary>True when PIPE0100 is set to <c>none</c> for the project (<paramref name="tree"/> null) or for the file.</summary>
    private static bool IsTurnedOff(CompilationOptions options, SyntaxTree? tree, SuppressionAnalysisContext context)
    {
        if (tree is null)
        {
            return (options.SpecificDiagnosticOptions.TryGetValue(PIPE0100DiscardedFutureAnalyzer.Id, out ReportDiagnostic project) && project == ReportDiagnostic.Suppress)
                || (options.SyntaxTreeOptionsProvider is { } global
                    && global.TryGetGlobalDiagnosticValue(PIPE0100DiscardedFutureAnalyzer.Id, context.CancellationToken, out ReportDiagnostic configured)
                    && configured == ReportDiagnostic.Suppress);
        }

        return options.SyntaxTreeOptionsProvider is { } provider
            && provider.TryGetDiagnosticValue(tree, PIPE0100DiscardedFutureAnalyzer.Id, context.CancellationToken, out ReportDiagnostic file)
            && file == ReportDiagnostic.Suppress;
    }
}
