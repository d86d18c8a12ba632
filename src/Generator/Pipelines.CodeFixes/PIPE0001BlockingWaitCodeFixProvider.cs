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
/// PIPE0001, the one fix provider for the rule. In an async function it replaces a blocking wait with <c>await</c> —
/// <c>f.GetResult()</c>, <c>t.Result</c>, <c>t.Wait()</c> and <c>x.GetAwaiter().GetResult()</c> become
/// <c>await f</c>/<c>await t</c>/<c>await x</c>; <c>Futures.Wait(…)</c> becomes <c>await Futures.WaitAsync(…)</c> and
/// <c>Task.WaitAll(…)</c> <c>await Task.WhenAll(…)</c>. When the wait feeds a stub it passes the future instead
/// (<c>SubmitAdd(a.GetResult(), 1)</c> → <c>SubmitAdd(a, 1)</c>). The analyzer decides which rewrite is valid and says
/// so in the diagnostic's properties. Every rewrite shares one equivalence key, so Fix All applies all of them.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0001BlockingWaitCodeFixProvider)), Shared]
public sealed class PIPE0001BlockingWaitCodeFixProvider : CodeFixProvider
{
    internal const string EquivalenceKey = PIPE0001BlockingWaitInExecutorWorkAnalyzer.Id;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(PIPE0001BlockingWaitInExecutorWorkAnalyzer.Id);

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
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax wait)
            {
                continue;
            }

            ExpressionSyntax? second = diagnostic.AdditionalLocations.Count > 0
                ? root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax
                : null;
            CodeAction? action = fix switch
            {
                FixData.PassFuture when second is not null => CodeAction.Create(
                    $"Pass '{second}' to the stub",
                    cancellationToken => Rewrites.ReplaceKeepingTriviaAsync(context.Document, wait, second, cancellationToken),
                    EquivalenceKey),
                FixData.Await when second is not null => CodeAction.Create(
                    "Await instead of blocking",
                    cancellationToken => Rewrites.AwaitInExpressionAsync(context.Document, wait, second, cancellationToken),
                    EquivalenceKey),
                FixData.AwaitTwin when diagnostic.Properties.TryGetValue(FixData.Twin, out string? twin) && twin is not null && Rewrites.RenameInvokedMethod(wait, twin) is { } renamed => CodeAction.Create(
                    "Await instead of blocking",
                    cancellationToken => Rewrites.AwaitInExpressionAsync(context.Document, wait, renamed, cancellationToken),
                    EquivalenceKey),
                _ => null,
            };

            if (action is not null)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }
}
