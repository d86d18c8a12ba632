using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>
/// PIPE0100: in an async function, <c>executor.SubmitWork(x);</c> → <c>await executor.SubmitWork(x);</c>, so the
/// work's exception reaches the caller; the statement's leading trivia is kept. (Writing <c>_ = …</c> silences the
/// rule too, but hides the exception, so it is not offered as a fix.) Fix All applies it everywhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0100AwaitDiscardedFutureCodeFixProvider)), Shared]
public sealed class PIPE0100AwaitDiscardedFutureCodeFixProvider : CodeFixProvider
{
    internal const string EquivalenceKey = PIPE0100DiscardedFutureAnalyzer.Id;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(PIPE0100DiscardedFutureAnalyzer.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixData.Fix, out string? fix)
                || fix != FixData.Await
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax discarded)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Await the future",
                    cancellationToken => Rewrites.AwaitStatementAsync(context.Document, discarded, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
