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

/// <summary>PIPE0003: <c>executor.SubmitAdd(a.GetResult(), b)</c> → <c>executor.SubmitAdd(a, b)</c>. Fix All applies it everywhere.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0003PassFutureCodeFixProvider)), Shared]
public sealed class PIPE0003PassFutureCodeFixProvider : CodeFixProvider
{
    internal const string EquivalenceKey = PIPE0003BlockingResultAsStubArgumentAnalyzer.Id;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(PIPE0003BlockingResultAsStubArgumentAnalyzer.Id);

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
                    $"Pass '{future}' to the stub",
                    cancellationToken => Rewrites.ReplaceKeepingTriviaAsync(context.Document, wait, future, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
