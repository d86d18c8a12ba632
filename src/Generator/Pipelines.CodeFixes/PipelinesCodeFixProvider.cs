using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>
/// What every Pipelines code fix shares: one rule per provider, the rewrite the analyzer chose in
/// <see cref="FixData"/>, one equivalence key per kind of rewrite (the rule's ID where a rule has one kind), and Fix All through
/// <see cref="WellKnownFixAllProviders.BatchFixer"/>, which merges the edits each diagnostic's fix makes.
/// </summary>
public abstract class PipelinesCodeFixProvider : CodeFixProvider
{
    private readonly string _id;

    private protected PipelinesCodeFixProvider(string id) => _id = id;

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(_id);

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixData.Fix, out string? fix)
                || fix is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node)
            {
                continue;
            }

            ExpressionSyntax? second = diagnostic.AdditionalLocations.Count > 0
                ? root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax
                : null;
            foreach ((string title, string key, System.Func<CancellationToken, Task<Document>> apply) in CreateFixes(context.Document, fix, node, second, diagnostic))
            {
                context.RegisterCodeFix(CodeAction.Create(title, apply, key), diagnostic);
            }
        }
    }

    /// <summary>
    /// Every rewrite offered for one diagnostic, first the one a batch tool such as <c>dotnet format</c> applies; each
    /// with its own equivalence key, so Fix All applies the same kind of rewrite everywhere. By default the one
    /// <see cref="CreateFix"/> gives, keyed by the rule's ID.
    /// </summary>
    private protected virtual IEnumerable<(string Title, string EquivalenceKey, System.Func<CancellationToken, Task<Document>> Apply)> CreateFixes(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic)
    {
        if (CreateFix(document, fix, node, second, diagnostic) is { } created)
        {
            yield return (created.Title, _id, created.Apply);
        }
    }

    /// <summary>
    /// The rewrite for one diagnostic, or null when there is none: <paramref name="fix"/> is the analyzer's
    /// <see cref="FixData.Fix"/>, <paramref name="node"/> the reported expression, <paramref name="second"/> the
    /// expression at the first additional location (the future to await or pass), if any.
    /// </summary>
    private protected virtual (string Title, System.Func<CancellationToken, Task<Document>> Apply)? CreateFix(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic) => null;
}
