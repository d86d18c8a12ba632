using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Pipelines.CodeFixes;

/// <summary>
/// The edits the code fixes make. Each replaces one expression in the original document, so Fix All
/// (<c>WellKnownFixAllProviders.BatchFixer</c>) can merge the edits of every diagnostic in a document.
/// </summary>
internal static class Rewrites
{
    /// <summary>
    /// Replaces <paramref name="node"/>, inside an expression, with <c>(await operand)</c>; the simplifier drops the
    /// parentheses where they are not needed. The node's trivia stays where it was.
    /// </summary>
    public static Task<Document> AwaitInExpressionAsync(Document document, ExpressionSyntax node, ExpressionSyntax operand, CancellationToken cancellationToken)
    {
        ExpressionSyntax awaitExpression = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(operand.WithoutTrivia()))
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return ReplaceAsync(document, node, awaitExpression, cancellationToken);
    }

    /// <summary>
    /// Replaces the expression of an expression statement with <c>await expression</c>: no parentheses to simplify and
    /// no reformatting, so the statement's leading trivia (blank lines, comments, indentation) is kept as written.
    /// </summary>
    public static Task<Document> AwaitStatementAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        SyntaxToken awaitKeyword = SyntaxFactory.Token(expression.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        ExpressionSyntax awaitExpression = SyntaxFactory.AwaitExpression(awaitKeyword, expression.WithoutLeadingTrivia());
        return ReplaceAsync(document, expression, awaitExpression, cancellationToken);
    }

    /// <summary>
    /// Replaces the expression of an expression statement (or an expression body) with <c>_ = expression</c>, the
    /// statement's leading trivia kept in front of the discard.
    /// </summary>
    public static Task<Document> DiscardStatementAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        IdentifierNameSyntax discard = SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(expression.GetLeadingTrivia(), "_", SyntaxFactory.TriviaList(SyntaxFactory.Space)));
        SyntaxToken equals = SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.EqualsToken, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        ExpressionSyntax assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, discard, equals, expression.WithoutLeadingTrivia());
        return ReplaceAsync(document, expression, assignment, cancellationToken);
    }

    /// <summary>Replaces <paramref name="node"/> with <paramref name="replacement"/>, keeping the node's trivia.</summary>
    public static Task<Document> ReplaceKeepingTriviaAsync(Document document, ExpressionSyntax node, ExpressionSyntax replacement, CancellationToken cancellationToken)
        => ReplaceAsync(document, node, replacement.WithoutTrivia().WithTriviaFrom(node), cancellationToken);

    /// <summary><c>Futures.Wait(…)</c> → <c>Futures.WaitAsync(…)</c>: the invoked method's name replaced, or null when it has none.</summary>
    public static ExpressionSyntax? RenameInvokedMethod(ExpressionSyntax wait, string twin)
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

        return name is null
            ? null
            : invocation.ReplaceNode(name, name.WithIdentifier(SyntaxFactory.Identifier(twin).WithTriviaFrom(name.Identifier)));
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode node, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(node, replacement));
    }
}
