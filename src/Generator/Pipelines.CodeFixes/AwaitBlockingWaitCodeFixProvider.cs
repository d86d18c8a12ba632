using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>
/// PIPE0001: in an async function, replaces a blocking wait with <c>await</c> — <c>f.GetResult()</c>,
/// <c>t.Result</c>, <c>t.Wait()</c> and <c>x.GetAwaiter().GetResult()</c> become <c>await f</c>/<c>await t</c>/<c>await x</c>;
/// <c>Futures.Wait(…)</c> becomes <c>await Futures.WaitAsync(…)</c> and <c>Task.WaitAll(…)</c> <c>await Task.WhenAll(…)</c>.
/// The analyzer decides when the rewrite is valid and says so in the diagnostic's properties.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitBlockingWaitCodeFixProvider)), Shared]
public sealed class AwaitBlockingWaitCodeFixProvider : CodeFixProvider
{
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

            ExpressionSyntax? replacement = fix switch
            {
                FixData.Await when diagnostic.AdditionalLocations.Count > 0
                    && root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax awaited
                    => awaited.WithoutTrivia(),
                FixData.AwaitTwin when diagnostic.Properties.TryGetValue(FixData.Twin, out string? twin) && twin is not null
                    => RenameInvokedMethod(wait, twin),
                _ => null,
            };

            if (replacement is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    title: "Await instead of blocking",
                    createChangedDocument: cancellationToken => ReplaceWithAwaitAsync(context.Document, wait, replacement, cancellationToken),
                    equivalenceKey: nameof(AwaitBlockingWaitCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>Replaces <paramref name="node"/> with <c>(await operand)</c>; the simplifier drops the parentheses where they are not needed.</summary>
    internal static async Task<Document> ReplaceWithAwaitAsync(Document document, ExpressionSyntax node, ExpressionSyntax operand, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        ExpressionSyntax awaitExpression = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(operand.WithoutTrivia()))
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(node, awaitExpression));
    }

    private static ExpressionSyntax? RenameInvokedMethod(ExpressionSyntax wait, string twin)
    {
        if (wait is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        SimpleNameSyntax? name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
            SimpleNameSyntax simpleName => simpleName,
            _ => null,
        };

        if (name is null)
        {
            return null;
        }

        SimpleNameSyntax renamed = name.WithIdentifier(SyntaxFactory.Identifier(twin).WithTriviaFrom(name.Identifier));
        return invocation.ReplaceNode(name, renamed);
    }
}
