using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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
        // The trivia's text, not its structure: building the structured trivia costs more than reading the text.
        string? text = null;
        foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                if (text is not null || !trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                {
                    return null; // two comments, or a /** */ one: the compiler's rules for merging and indentation apply
                }

                text = trivia.ToFullString();
            }
        }

        if (text is null)
        {
            return null;
        }

        var fragment = new StringBuilder(text.Length);
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (!trimmed.StartsWith("///", System.StringComparison.Ordinal))
            {
                return null;
            }

            fragment.Append(trimmed, 3, trimmed.Length - 3).Append('\n');
        }

        string xml = fragment.ToString();
        if (!IsPlain(xml))
        {
            return null;
        }

        DocumentationParts? parts = DocumentationXml.TryRead(xml, wrapped: false);
        return parts is { Other: null } ? parts : null;
    }

    /// <summary>
    /// Only <c>&lt;summary&gt;</c>, <c>&lt;param name="x"&gt;</c> and <c>&lt;returns&gt;</c> tags, and no entity but
    /// <c>&amp;lt;</c>, <c>&amp;gt;</c> and <c>&amp;amp;</c>: text whose reading does not depend on crefs or on how the compiler
    /// lays out the lines (the summary and params are trimmed line by line either way).
    /// </summary>
    private static bool IsPlain(string xml)
    {
        for (int i = 0; i < xml.Length; i++)
        {
            switch (xml[i])
            {
                case '<':
                    int end = xml.IndexOf('>', i);
                    if (end < 0 || !IsPlainTag(xml.Substring(i + 1, end - i - 1)))
                    {
                        return false;
                    }

                    i = end;
                    break;
                case '&':
                    if (string.CompareOrdinal(xml, i, "&lt;", 0, 4) != 0 && string.CompareOrdinal(xml, i, "&gt;", 0, 4) != 0 && string.CompareOrdinal(xml, i, "&amp;", 0, 5) != 0)
                    {
                        return false;
                    }

                    break;
                case '\r':
                    return false;
            }
        }

        return true;
    }

    private static bool IsPlainTag(string tag)
    {
        switch (tag)
        {
            case "summary" or "/summary" or "returns" or "/returns" or "/param":
                return true;
        }

        if (!tag.StartsWith("param name=\"", System.StringComparison.Ordinal) || !tag.EndsWith("\"", System.StringComparison.Ordinal) || tag.Length <= 13)
        {
            return false;
        }

        string name = tag.Substring(12, tag.Length - 13);
        return SyntaxFacts.IsValidIdentifier(name);
    }
}
