using System.Collections.Generic;
using System.Text;

namespace Pipelines.Generator.Helpers;

/// <summary>
/// A <c>[Submittable(Label = "…")]</c> template: literal text and <c>{parameter}</c> placeholders, with <c>{{</c> and
/// <c>}}</c> for braces (as in an interpolated string, without format specifiers). One parser for the rule that checks
/// it (<see cref="SubmittableRules"/>) and the emitter that writes it.
/// </summary>
internal static class LabelTemplate
{
    /// <summary>One piece of a template: literal text, or the name of the parameter a placeholder renders.</summary>
    /// <param name="IsParameter">True for a placeholder.</param>
    /// <param name="Text">The literal text (braces unescaped), or the parameter's name.</param>
    internal readonly record struct Part(bool IsParameter, string Text);

    /// <summary>Splits <paramref name="template"/> into parts; on a malformed template, null and what is wrong.</summary>
    public static (List<Part>? Parts, string? Error) Parse(string template)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    literal.Append('}');
                    i++;
                    continue;
                }

                return (null, $"the Label template \"{template}\" has a '}}' without its '{{' (write '}}}}' for a brace)");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }

            int close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                return (null, $"the Label template \"{template}\" has a '{{' that is never closed (write '{{{{' for a brace)");
            }

            string name = template.Substring(i + 1, close - i - 1).Trim();
            if (name.Length == 0)
            {
                return (null, $"the Label template \"{template}\" has an empty placeholder: name a parameter, e.g. {{path}}");
            }

            if (literal.Length > 0)
            {
                parts.Add(new Part(false, literal.ToString()));
                literal.Clear();
            }

            parts.Add(new Part(true, name));
            i = close;
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(false, literal.ToString()));
        }

        return (parts, null);
    }

    /// <summary><paramref name="text"/> as a C# string literal (quotes, backslashes and control characters escaped).</summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    literal.Append("\\\"");
                    break;
                case '\\':
                    literal.Append("\\\\");
                    break;
                default:
                    if (c < ' ' || c is '\u0085' or '\u2028' or '\u2029')
                    {
                        literal.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        literal.Append(c);
                    }

                    break;
            }
        }

        return literal.Append('"').ToString();
    }
}
