using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pipelines.Generator.Helpers;

/// <summary>
/// A one-pass reader of doc-comment XML that prints elements back as <c>XNode.ToString(SaveOptions.DisableFormatting)</c>
/// does: attributes in double quotes, <c>&lt;a /&gt;</c> for self-closed elements, text with <c>&amp;</c>, <c>&lt;</c>
/// and <c>&gt;</c> escaped, entities and character references expanded, line ends as <c>\n</c>. It handles the XML that
/// doc comments hold — elements, attributes, text, comments, CDATA — and returns null on anything else (namespaces,
/// DTDs, processing instructions, non-ASCII names, malformed input), leaving it to the XLinq reference
/// (<see cref="DocumentationComments.ReadWithXLinq"/>); a test checks both agree.
/// </summary>
internal ref partial struct DocumentationXml
{
    private readonly string _text;
    private int _position;

    private DocumentationXml(string text)
    {
        _text = text;
        _position = 0;
    }

    /// <summary>The docs in <paramref name="xml"/>, or null when this reader does not handle it.</summary>
    /// <param name="xml">The compiler's <c>&lt;member&gt;</c> element when <paramref name="wrapped"/>, else a fragment.</param>
    /// <param name="wrapped">Whether <paramref name="xml"/> is one element whose children are the docs.</param>
    public static DocumentationParts? TryRead(string xml, bool wrapped)
    {
        var reader = new DocumentationXml(xml);
        return reader.Read(wrapped);
    }

    private DocumentationParts? Read(bool wrapped)
    {
        if (wrapped)
        {
            SkipWhitespace();
            if (!TryReadStartTag(out _, out _, out bool selfClosing))
            {
                return null;
            }

            if (selfClosing)
            {
                SkipWhitespace();
                return _position == _text.Length ? DocumentationParts.Empty : null;
            }
        }

        string? summary = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        StringBuilder? other = null;
        var scratch = new StringBuilder();
        while (true)
        {
            if (_position == _text.Length)
            {
                if (wrapped)
                {
                    return null; // the member element never closed
                }

                break;
            }

            if (At("</"))
            {
                if (!wrapped || !TryReadEndTag(out _))
                {
                    return null;
                }

                SkipWhitespace();
                if (_position != _text.Length)
                {
                    return null;
                }

                break;
            }

            if (_text[_position] != '<' || At("<!--") || At("<![CDATA["))
            {
                scratch.Clear();
                if (!TryReadNode(scratch))
                {
                    return null; // text, comments and CDATA between the top-level elements are checked, then dropped
                }

                continue;
            }

            if (!TryReadStartTag(out string name, out List<(string Name, string Value)> attributes, out bool isSelfClosing))
            {
                return null;
            }

            scratch.Clear();
            if (!isSelfClosing && !TryReadContent(name, scratch))
            {
                return null;
            }

            switch (name)
            {
                case "summary":
                    summary = DocumentationComments.Normalize(scratch.ToString());
                    break;
                case "param" when Find(attributes, "name") is { } parameter:
                    parameters[parameter] = DocumentationComments.Normalize(scratch.ToString());
                    break;
                case "returns":
                    break;
                default:
                    other ??= new StringBuilder();
                    WriteElement(other, name, attributes, isSelfClosing, scratch);
                    other.Append('\n');
                    break;
            }
        }

        string? others = other is null ? null : other.ToString().TrimEnd('\n');
        return new DocumentationParts(summary, others, parameters);
    }

    private static string? Find(List<(string Name, string Value)> attributes, string name)
    {
        foreach ((string Name, string Value) attribute in attributes)
        {
            if (attribute.Name == name)
            {
                return attribute.Value;
            }
        }

        return null;
    }

    private static void WriteElement(StringBuilder output, string name, List<(string Name, string Value)> attributes, bool selfClosing, StringBuilder content)
    {
        output.Append('<').Append(name);
        foreach ((string attributeName, string value) in attributes)
        {
            output.Append(' ').Append(attributeName).Append("=\"");
            foreach (char c in value)
            {
                output.Append(c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\t' => "&#x9;",
                    '\n' => "&#xA;",
                    '\r' => "&#xD;",
                    _ => null,
                } ?? c.ToString());
            }

            output.Append('"');
        }

        if (selfClosing)
        {
            output.Append(" />");
            return;
        }

        output.Append('>').Append(content).Append("</").Append(name).Append('>');
    }

    /// <summary>Reads the content of element <paramref name="name"/> up to and including its end tag, printing it.</summary>
    private bool TryReadContent(string name, StringBuilder output)
    {
        while (_position < _text.Length)
        {
            if (At("</"))
            {
                return TryReadEndTag(out string end) && end == name;
            }

            if (!TryReadNode(output))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Reads one node — text, comment, CDATA or element — printing it.</summary>
    private bool TryReadNode(StringBuilder output)
    {
        if (_text[_position] != '<')
        {
            return TryReadText(output);
        }

        if (At("<!--"))
        {
            int end = _text.IndexOf("-->", _position + 4, StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            string comment = _text.Substring(_position + 4, end - _position - 4);
            if (comment.Contains("--") || comment.EndsWith("-", StringComparison.Ordinal) || !AppendChecked(output.Append("<!--"), comment))
            {
                return false;
            }

            output.Append("-->");
            _position = end + 3;
            return true;
        }

        if (At("<![CDATA["))
        {
            int end = _text.IndexOf("]]>", _position + 9, StringComparison.Ordinal);
            if (end < 0 || !AppendChecked(output.Append("<![CDATA["), _text.Substring(_position + 9, end - _position - 9)))
            {
                return false;
            }

            output.Append("]]>");
            _position = end + 3;
            return true;
        }

        if (!TryReadStartTag(out string name, out List<(string Name, string Value)> attributes, out bool selfClosing))
        {
            return false;
        }

        var content = new StringBuilder();
        if (!selfClosing && !TryReadContent(name, content))
        {
            return false;
        }

        WriteElement(output, name, attributes, selfClosing, content);
        return true;
    }

    private bool TryReadText(StringBuilder output)
    {
        while (_position < _text.Length && _text[_position] != '<')
        {
            char c = _text[_position];
            if (c == '&')
            {
                if (!TryReadReference(out string value))
                {
                    return false;
                }

                if (value == "\r")
                {
                    return false; // a "&#13;" in text meets the writer's line-end rules; the reference handles it
                }

                foreach (char expanded in value)
                {
                    AppendText(output, expanded);
                }

                continue;
            }

            if (c == ']' && At("]]>"))
            {
                return false;
            }

            if (c == '\r')
            {
                // XML line-end normalization: "\r\n" and a lone "\r" are one "\n".
                output.Append('\n');
                _position += At("\r\n") ? 2 : 1;
                continue;
            }

            if (!IsXmlChar(_text, _position, out int length))
            {
                return false;
            }

            if (c == '>')
            {
                output.Append("&gt;");
            }
            else
            {
                output.Append(_text, _position, length);
            }

            _position += length;
        }

        return true;
    }
}
