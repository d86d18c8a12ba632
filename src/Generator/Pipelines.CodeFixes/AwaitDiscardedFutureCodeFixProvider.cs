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
/// work's exception reaches the caller. (Writing <c>_ = …</c> silences the rule too, but hides the exception, so it
/// is not offered as a fix.)
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitDiscardedFutureCodeFixProvider)), Shared]
public sealed class AwaitDiscardedFutureCodeFixProvider : CodeFixProvider
{
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
                    title: "Await the future",
                    createChangedDocument: cancellationToken => AwaitBlockingWaitCodeFixProvider.ReplaceWithAwaitAsync(context.Document, discarded, discarded, cancellationToken),
                    equivalenceKey: nameof(AwaitDiscardedFutureCodeFixProvider)),
                diagnostic);
        }
    }
}
