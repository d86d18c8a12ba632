using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>
/// PIPE0003, and PIPE0001 when the wait feeds a stub: <c>executor.SubmitAdd(a.GetResult(), b)</c> →
/// <c>executor.SubmitAdd(a, b)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassFutureToStubCodeFixProvider)), Shared]
public sealed class PassFutureToStubCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(PIPE0003BlockingResultAsStubArgumentAnalyzer.Id, PIPE0001BlockingWaitInExecutorWorkAnalyzer.Id);

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
                || fix != FixData.PassFuture
                || diagnostic.AdditionalLocations.Count == 0
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax wait
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax future)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    title: $"Pass '{future}' to the stub",
                    createChangedDocument: cancellationToken => PassFutureAsync(context.Document, wait, future, cancellationToken),
                    equivalenceKey: nameof(PassFutureToStubCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> PassFutureAsync(Document document, ExpressionSyntax wait, ExpressionSyntax future, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null
            ? document
            : document.WithSyntaxRoot(root.ReplaceNode(wait, future.WithoutTrivia().WithTriviaFrom(wait)));
    }
}
