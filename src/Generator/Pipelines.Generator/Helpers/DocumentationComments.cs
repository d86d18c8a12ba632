using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipelines.Generator.Helpers;

/// <summary>A method's XML doc comment, split into what the stubs carry.</summary>
/// <param name="Summary">The inner XML of <c>&lt;summary&gt;</c>, lines trimmed and joined with <c>\n</c>; null when absent.</param>
/// <param name="Other">The other elements (remarks, exceptions, examples) as XML, one after another; null when none.</param>
/// <param name="Parameters">The inner XML of each <c>&lt;param name="…"&gt;</c>, trimmed like the summary.</param>
internal sealed record DocumentationParts(string? Summary, string? Other, IReadOnlyDictionary<string, string> Parameters)
{
    public static DocumentationParts Empty { get; } = new(null, null, new Dictionary<string, string>());
}

/// <summary>
/// Reads a method's doc comment for the stubs. A comment of plain-text summary, params and returns (the usual one) is
/// read straight from its syntax (<see cref="DocumentationSyntax"/>); any other goes through the compiler's XML (crefs resolved to IDs) is scanned once by
/// <see cref="DocumentationXml"/>, which writes elements back exactly as <c>XNode.ToString(SaveOptions.DisableFormatting)</c>
/// does; anything it does not handle (namespaces, DTDs, processing instructions, malformed text) goes through
/// <see cref="ReadWithXLinq"/>, the reference it is tested against. Reading once with a scanner instead of parsing
/// and printing twice with XLinq is most of what keeps the generator cheap to rerun.
/// </summary>
internal static class DocumentationComments
{
    // Roslyn reruns the generator's transform for every [Submittable] method after every edit anywhere (its semantic
    // model changed), but a declaration in a file that was not edited is the same syntax object as before: unchanged
    // trees are reused across compilations. What the syntax alone says is remembered per declaration, for as long as
    // the declaration lives, so the comment is read once per edit of its own file, not once per keystroke anywhere.
    private static readonly ConditionalWeakTable<SyntaxNode, StrongBox<DocumentationParts?>> s_readFromSyntax = new();

    public static DocumentationParts Read(IMethodSymbol method, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (s_readFromSyntax.GetValue(node, static n => new StrongBox<DocumentationParts?>(ReadFromSyntax(n))).Value is { } fromSyntax)
        {
            return fromSyntax;
        }

        string? xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        bool fromCompiler = !string.IsNullOrWhiteSpace(xml);
        if (!fromCompiler)
        {
            xml = FromTrivia(node); // compilations that do not parse doc comments (DocumentationMode.None)
            if (string.IsNullOrWhiteSpace(xml))
            {
                return DocumentationParts.Empty;
            }
        }

        DocumentationParts? parts = DocumentationXml.TryRead(xml!, wrapped: fromCompiler) ?? ReadWithXLinq(xml!, wrapped: fromCompiler);
        if (parts is null)
        {
            // The compiler's XML did not parse (never seen in practice): fall back to the raw lines, as a reader without it would.
            string? raw = FromTrivia(node);
            parts = raw is null ? null : DocumentationXml.TryRead(raw, wrapped: false) ?? ReadWithXLinq(raw, wrapped: false);
        }

        return parts ?? DocumentationParts.Empty;
    }

    /// <summary>
    /// The parts when the syntax says all (no doc comment, or one of plain-text summary, params and returns: no compiler
    /// pass needed); null when the compiler has to read it (crefs, other elements, a <c>/** */</c> comment).
    /// </summary>
    private static DocumentationParts? ReadFromSyntax(SyntaxNode node) =>
        HasDocumentationTrivia(node) ? DocumentationSyntax.TryRead(node) : DocumentationParts.Empty;

    /// <summary>
    /// The reference reading, with XLinq: the member's nodes printed, parsed again inside <c>&lt;doc&gt;</c>, then split.
    /// Malformed XML gives no docs (the compiler warns about it; the stubs then carry only their own text); a
    /// <paramref name="wrapped"/> member element that does not parse gives null.
    /// </summary>
    /// <param name="xml">The compiler's <c>&lt;member&gt;</c> element when <paramref name="wrapped"/>, else the raw fragment.</param>
    /// <param name="wrapped">Whether <paramref name="xml"/> is one element whose children are the docs.</param>
    internal static DocumentationParts? ReadWithXLinq(string xml, bool wrapped)
    {
        string inner = xml;
        if (wrapped)
        {
            try
            {
                XElement member = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
                inner = string.Concat(member.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        XElement root;
        try
        {
            root = XElement.Parse("<doc>" + inner + "</doc>", LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException)
        {
            return DocumentationParts.Empty;
        }

        string? summary = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var other = new StringBuilder();
        foreach (XElement element in root.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "summary":
                    summary = Normalize(string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))));
                    break;
                case "param" when element.Attribute("name")?.Value is { } name:
                    parameters[name] = Normalize(string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))));
                    break;
                case "returns":
                    break; // the stubs return a future; they say so themselves
                default:
                    other.Append(element.ToString(SaveOptions.DisableFormatting)).Append('\n');
                    break;
            }
        }

        return new DocumentationParts(summary, other.Length == 0 ? null : other.ToString().TrimEnd('\n'), parameters);
    }

    /// <summary>Collapses the indentation of multi-line doc text: lines trimmed, blank ones dropped.</summary>
    internal static string Normalize(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    internal static bool HasDocumentationTrivia(SyntaxNode node)
    {
        foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
        {
            switch (trivia.Kind())
            {
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                    return true;
                case SyntaxKind.SingleLineCommentTrivia when trivia.ToString().StartsWith("///", StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The compiler's reading (no syntax shortcut): what <see cref="DocumentationSyntax"/> is tested against.</summary>
    internal static DocumentationParts ReadWithCompiler(IMethodSymbol method, SyntaxNode node, CancellationToken cancellationToken)
    {
        string? xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        return string.IsNullOrWhiteSpace(xml) ? DocumentationParts.Empty : DocumentationXml.TryRead(xml!, wrapped: true) ?? ReadWithXLinq(xml!, wrapped: true) ?? DocumentationParts.Empty;
    }

    /// <summary>Docs from the raw <c>///</c> lines, for compilations that do not parse doc comments.</summary>
    private static string? FromTrivia(SyntaxNode node)
    {
        var lines = new StringBuilder();
        foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
            {
                foreach (string line in trivia.ToFullString().Split('\n'))
                {
                    string trimmed = line.Trim();
                    if (trimmed.StartsWith("///", StringComparison.Ordinal))
                    {
                        lines.Append(trimmed.Substring(3)).Append('\n');
                    }
                }
            }
        }

        return lines.Length == 0 ? null : lines.ToString();
    }
}
