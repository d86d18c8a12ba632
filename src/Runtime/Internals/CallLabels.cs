using System;
using System.ComponentModel;
using System.Globalization;
using System.Threading;
using Pipelines.Diagnostics;

namespace Pipelines.Internals;

/// <summary>
/// Renders call labels (<see cref="DependentFuture{TResult}.Label"/>) for generated calls: short, culture-invariant text
/// from an argument, whether it was passed as a value or as a future. Not meant for hand-written code.
/// </summary>
/// <remarks>
/// An argument passed as a future is shown as the label of the call that makes it, so that a page's name flows down its
/// chain (<c>Parse(Fetch("about.md"))</c> is labelled <c>about.md</c> too); when that call has no label, as the future's
/// result once it succeeded; while it is pending with no label, as null.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CallLabels
{
    /// <summary>Labels longer than this keep their end (paths and URLs tell themselves apart there), after an ellipsis.</summary>
    internal const int MaxLength = 48;

    private const int MaxDepth = 16;

    [ThreadStatic]
    private static int t_depth;

    /// <summary>An argument of a simple type (string, number, enum, …): its value, or what its future stands for.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="argument">The call's argument.</param>
    /// <returns>The text, shortened to a few dozen characters; null for an optional argument left out or a pending future without a label.</returns>
    public static string? Of<T>(FutureOr<T> argument)
    {
        if (!argument.IsSpecified)
        {
            return null;
        }

        if (argument.Future is not { } future)
        {
            return Format(argument.GetResult());
        }

        return LabelOf(future) ?? (future.State == FutureState.Succeeded ? Format(future.ResultIfSucceeded) : null);
    }

    /// <summary>The label of the call behind an argument passed as a future; null for a plain value or a future without one.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="argument">The call's argument.</param>
    public static string? Inherited<T>(FutureOr<T> argument) => argument.Future is { } future ? LabelOf(future) : null;

    /// <summary>A label template's parts joined: literal text and rendered arguments (an unknown one shows as <c>…</c>).</summary>
    /// <param name="parts">The literal text and the placeholders' renderings, in order.</param>
    public static string Join(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new System.Text.StringBuilder();
        foreach (string? part in parts)
        {
            text.Append(part ?? "…");
        }

        return Shorten(text.ToString(), 2 * MaxLength);
    }

    /// <summary>The label of <paramref name="future"/>'s call: the one recorded, or rendered now while it still holds its arguments.</summary>
    internal static string? LabelOf(Future future)
    {
        if (CallRecord.Find(future) is { Labelled: true } record)
        {
            return record.Label;
        }

        return future.IsDone ? null : future.RenderLabel();
    }

    /// <summary>Runs a call's label getter: never throws, and stops a chain of inherited labels that is too deep.</summary>
    internal static string? Guarded<TCall>(TCall call, Func<TCall, string?> label)
    {
        if (t_depth >= MaxDepth)
        {
            return null;
        }

        t_depth++;
        try
        {
            return label(call);
        }
        catch (Exception)
        {
            return null; // a user's ToString that throws, or arguments released while a monitor read them
        }
        finally
        {
            t_depth--;
        }
    }

    /// <summary>A value's text: invariant culture for numbers and dates, <c>null</c> for null, shortened.</summary>
    internal static string Format<T>(T value)
    {
        string? text = value switch
        {
            null => "null",
            string s => s,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return Shorten(text ?? "null", MaxLength);
    }

    /// <summary>One line (control characters become spaces), at most <paramref name="max"/> characters: the end kept after <c>…</c>.</summary>
    internal static string Shorten(string text, int max)
    {
        if (text.Length > max)
        {
            text = string.Concat("…", text.AsSpan(text.Length - (max - 1)));
        }

        if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0)
        {
            return text;
        }

        char[] chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }
}
