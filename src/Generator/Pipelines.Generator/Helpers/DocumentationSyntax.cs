using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Generator.Helpers;

/// <summary>
/// The usual doc comment — <c>&lt;summary&gt;</c>, <c>&lt;param name="…"&gt;</c> and <c>&lt;returns&gt;</c> holding plain text —
/// read from its syntax, without the compiler's doc-comment pass (which binds crefs and checks the XML for every member).
/// Anything else (other elements, nested tags, crefs, entities beyond <c>&amp;lt; &amp;gt; &amp;amp;</c>, errors) returns
/// null and goes through the compiler's XML; a test checks both readings agree.
/// </summary>
internal static class DocumentationSyntax
{
    public static DocumentationParts? TryRead(SyntaxNode node)
    {
        DocumentationCommentTriviaSyntax? comment = null;
        foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                if (comment is not null || trivia.GetStructure() is not DocumentationCommentTriviaSyntax structure || !trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                {
                    return null; // two comments, or a /** */ one: the compiler's rules for merging and indentation apply
                }

                comment = structure;
            }
        }

        if (comment is null || comment.ContainsDiagnostics)
        {
            return null;
        }

        string? summary = null;
        var parameters = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (XmlNodeSyntax content in comment.Content)
        {
            if (content is XmlTextSyntax)
            {
                continue; // between elements: dropped by every reading
            }

            if (content is not XmlElementSyntax { StartTag.Name.Prefix: null } element)
            {
                return null;
            }

            string name = element.StartTag.Name.LocalName.ValueText;
            string? parameter = null;
            switch (name)
            {
                case "summary" or "returns" when element.StartTag.Attributes.Count == 0:
                    break;
                case "param" when element.StartTag.Attributes.Count == 1
                    && element.StartTag.Attributes[0] is XmlNameAttributeSyntax { Name.Prefix: null, Name.LocalName.ValueText: "name" } attribute
                    && !attribute.Identifier.Identifier.Text.StartsWith("@", System.StringComparison.Ordinal):
                    parameter = attribute.Identifier.Identifier.Text;
                    break;
                default:
                    return null;
            }

            text.Clear();
            foreach (XmlNodeSyntax inner in element.Content)
            {
                if (inner is not XmlTextSyntax run || !TryAppend(text, run))
                {
                    return null;
                }
            }

            if (name == "summary")
            {
                summary = DocumentationComments.Normalize(text.ToString());
            }
            else if (parameter is not null)
            {
                parameters[parameter] = DocumentationComments.Normalize(text.ToString());
            }
        }

        return new DocumentationParts(summary, null, parameters);
    }

    /// <summary>Appends a run of text as XLinq would print it: line ends as <c>\n</c>, <c>&gt;</c> escaped, the three entities kept.</summary>
    private static bool TryAppend(StringBuilder output, XmlTextSyntax run)
    {
        foreach (SyntaxToken token in run.TextTokens)
        {
            switch (token.Kind())
            {
                case SyntaxKind.XmlTextLiteralNewLineToken:
                    output.Append('\n');
                    break;
                case SyntaxKind.XmlEntityLiteralToken when token.Text is "&lt;" or "&gt;" or "&amp;":
                    output.Append(token.Text);
                    break;
                case SyntaxKind.XmlTextLiteralToken:
                    foreach (char c in token.Text)
                    {
                        if (c is '&' or '<' or '\r' || (c < ' ' && c != '\t'))
                        {
                            return false;
                        }

                        output.Append(c == '>' ? "&gt;" : c.ToString());
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
