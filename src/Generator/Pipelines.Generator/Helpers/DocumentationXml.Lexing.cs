using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pipelines.Generator.Helpers;

/// <summary>The lexical half of <see cref="DocumentationXml"/>: tags, names, references and legal characters.</summary>
internal ref partial struct DocumentationXml
{
    private static void AppendText(StringBuilder output, char c) =>
        output.Append(c switch
        {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            _ => null,
        } ?? c.ToString());

    /// <summary>Appends <paramref name="value"/> (a comment or CDATA body) with line ends normalized, if every character is legal XML.</summary>
    private static bool AppendChecked(StringBuilder output, string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\r')
            {
                output.Append('\n');
                if (i + 1 < value.Length && value[i + 1] == '\n')
                {
                    i++;
                }

                continue;
            }

            if (!IsXmlChar(value, i, out int length))
            {
                return false;
            }

            output.Append(value, i, length);
            i += length - 1;
        }

        return true;
    }

    private bool TryReadStartTag(out string name, out List<(string Name, string Value)> attributes, out bool selfClosing)
    {
        attributes = new List<(string Name, string Value)>();
        selfClosing = false;
        name = string.Empty;
        if (_position >= _text.Length || _text[_position] != '<')
        {
            return false;
        }

        _position++;
        if (!TryReadName(out name))
        {
            return false;
        }

        while (true)
        {
            bool spaced = SkipWhitespace();
            if (_position >= _text.Length)
            {
                return false;
            }

            if (At("/>"))
            {
                _position += 2;
                selfClosing = true;
                return true;
            }

            if (_text[_position] == '>')
            {
                _position++;
                return true;
            }

            if (!spaced || !TryReadName(out string attributeName) || Find(attributes, attributeName) is not null || attributeName == "xmlns")
            {
                return false;
            }

            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '=')
            {
                return false;
            }

            _position++;
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] is not ('"' or '\''))
            {
                return false;
            }

            char quote = _text[_position++];
            var value = new StringBuilder();
            while (true)
            {
                if (_position >= _text.Length)
                {
                    return false;
                }

                char c = _text[_position];
                if (c == quote)
                {
                    _position++;
                    break;
                }

                if (c == '<')
                {
                    return false;
                }

                if (c == '&')
                {
                    if (!TryReadReference(out string expanded))
                    {
                        return false;
                    }

                    value.Append(expanded); // character references keep their whitespace; literal whitespace becomes spaces
                    continue;
                }

                if (c is '\t' or '\n' or '\r')
                {
                    value.Append(' ');
                    _position += At("\r\n") ? 2 : 1;
                    continue;
                }

                if (!IsXmlChar(_text, _position, out int length))
                {
                    return false;
                }

                value.Append(_text, _position, length);
                _position += length;
            }

            attributes.Add((attributeName, value.ToString()));
        }
    }

    private bool TryReadEndTag(out string name)
    {
        _position += 2;
        if (!TryReadName(out name))
        {
            return false;
        }

        SkipWhitespace();
        if (_position >= _text.Length || _text[_position] != '>')
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>An ASCII XML name without a namespace prefix; anything else is left to the XLinq reference.</summary>
    private bool TryReadName(out string name)
    {
        int start = _position;
        while (_position < _text.Length)
        {
            char c = _text[_position];
            bool letter = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';
            bool other = c is (>= '0' and <= '9') or '-' or '.';
            if (!letter && !(other && _position > start))
            {
                break;
            }

            _position++;
        }

        name = _text.Substring(start, _position - start);
        return name.Length > 0 && (_position >= _text.Length || _text[_position] != ':') && !name.StartsWith("xml", StringComparison.OrdinalIgnoreCase);
    }

    private bool TryReadReference(out string value)
    {
        value = string.Empty;
        int end = _text.IndexOf(';', _position);
        if (end < 0 || end - _position > 12)
        {
            return false;
        }

        string entity = _text.Substring(_position + 1, end - _position - 1);
        _position = end + 1;
        switch (entity)
        {
            case "lt":
                value = "<";
                return true;
            case "gt":
                value = ">";
                return true;
            case "amp":
                value = "&";
                return true;
            case "quot":
                value = "\"";
                return true;
            case "apos":
                value = "'";
                return true;
        }

        if (entity.Length < 2 || entity[0] != '#')
        {
            return false;
        }

        bool hex = entity[1] == 'x';
        string digits = entity.Substring(hex ? 2 : 1);
        if (digits.Length == 0
            || !int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int code)
            || !(code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF)))
        {
            return false;
        }

        value = char.ConvertFromUtf32(code);
        return true;
    }

    /// <summary>Whether the character at <paramref name="index"/> is legal in XML (a surrogate pair counts as one, of length 2).</summary>
    private static bool IsXmlChar(string text, int index, out int length)
    {
        char c = text[index];
        length = 1;
        if (char.IsHighSurrogate(c))
        {
            length = 2;
            return index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
        }

        return c is '\t' or '\n' or '\r' or (>= ' ' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
    }

    private bool SkipWhitespace()
    {
        int start = _position;
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }

        return _position > start;
    }

    private bool At(string token) => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;
}
