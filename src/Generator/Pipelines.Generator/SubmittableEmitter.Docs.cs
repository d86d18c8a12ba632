using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The stubs' XML docs: the method's own, plus which arguments take futures in this overload.</summary>
internal static partial class SubmittableEmitter
{
    /// <summary>A <c>&lt;paramref name="…"/&gt;</c> as the doc reader writes it back (self-closed or with an empty end tag).</summary>
    private static readonly Regex ParamRef = new("<paramref\\s+name=\"([^\"]*)\"\\s*(?:/>|>\\s*</paramref>)", RegexOptions.CultureInvariant);

    private static void WriteDocs(IndentedTextWriter writer, SubmittableMethod method, StubNames names, Shape shape)
    {
        bool isThen = shape.Skip >= 0;

        // The parameters this stub has: a paramref to any other (the Then stub's source, a CancellationToken) would warn (CS1734).
        var stubParameters = new HashSet<string>(StringComparer.Ordinal) { isThen ? names.Source : names.Executor };
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (method.Parameters[i].IsInStub && i != shape.Skip)
            {
                stubParameters.Add(method.Parameters[i].Name.TrimStart('@'));
            }
        }

        var lines = new List<string> { "<summary>" };
        if (method.Summary is not null)
        {
            lines.AddRange(KeepParamRefs(method.Summary, stubParameters).Split('\n'));
        }

        bool allTakeFutures = true;
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterModel parameter = method.Parameters[i];
            allTakeFutures &= !parameter.IsInStub || i == shape.Skip || parameter.IsCallerInfo || TakesFutures(parameter, shape, i);
        }

        string source = isThen ? method.Parameters[names.ThenSourceIndex].Name.TrimStart('@') : string.Empty;
        string every = method.Parameters.Any(p => p.IsCallerInfo) ? "Every argument the compiler does not fill in accepts" : "Every argument accepts";
        string theOthers = method.Parameters.Any(p => p.IsCallerInfo) ? "The other arguments the compiler does not fill in accept" : "The other arguments accept";
        const string SomeValuesOnly = "This overload takes values where its parameters say so; another takes futures there, unwrapped when they complete, without blocking a thread.";
        lines.Add(isThen
            ? $"<para>Runs <see cref=\"{method.MethodDocumentationId}\"/> on the executor of <paramref name=\"{names.Source}\"/> once it succeeds, with its result as <c>{source}</c>. "
                + (allTakeFutures ? $"{theOthers} a value or a future of it; futures are unwrapped when they complete, without blocking a thread." : SomeValuesOnly) + "</para>"
            : $"<para>Submits <see cref=\"{method.MethodDocumentationId}\"/> to <paramref name=\"{names.Executor}\"/>. "
                + (allTakeFutures ? $"{every} a value or a future of it; futures are unwrapped when they complete, without blocking a thread." : SomeValuesOnly) + "</para>");
        lines.Add("</summary>");

        lines.Add(isThen
            ? $"<param name=\"{names.Source}\">The future whose result becomes <c>{source}</c>.</param>"
            : $"<param name=\"{names.Executor}\">The executor that runs the call.</param>");
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterModel parameter = method.Parameters[i];
            if (!parameter.IsInStub || (isThen && i == names.ThenSourceIndex))
            {
                continue;
            }

            string how = parameter.IsCallerInfo ? "Filled in by the compiler where the stub is called, as where the method is called."
                : shape.TakesFutures(i) ? "Futures of its elements: the call runs when all have succeeded, with their results in order."
                : TakesFutures(parameter, shape, i) ? "A value or a future of it."
                : "A value (another overload of this stub takes a future).";
            string doc = parameter.Documentation is null ? how : KeepParamRefs(parameter.Documentation, stubParameters).Replace("\n", " ") + " " + how;
            lines.Add($"<param name=\"{parameter.Name.TrimStart('@')}\">{doc}</param>");
        }

        lines.Add("<returns>A future of the call. If an argument future faults or is cancelled, so does this one, with the same exception, and the method does not run.</returns>");
        if (method.OtherDocumentation is not null)
        {
            lines.AddRange(KeepParamRefs(method.OtherDocumentation, stubParameters).Split('\n'));
        }

        foreach (string line in lines)
        {
            writer.WriteLine("/// " + line);
        }
    }

    /// <summary>Whether parameter <paramref name="index"/> takes a future in this overload: not when declared as its own type.</summary>
    private static bool TakesFutures(ParameterModel parameter, Shape shape, int index) => parameter.Kind switch
    {
        ParameterKind.FutureOr => !(shape.Plain && parameter.HasPlainForm),
        ParameterKind.InterfacePair or ParameterKind.GenericPair => shape.TakesFuture(index) || shape.TakesFutures(index),
        _ => false,
    };

    /// <summary>The method's doc text with each paramref to a parameter the stub does not have written as <c>&lt;c&gt;name&lt;/c&gt;</c>.</summary>
    private static string KeepParamRefs(string text, HashSet<string> stubParameters) =>
        text.IndexOf("<paramref", StringComparison.Ordinal) < 0
            ? text
            : ParamRef.Replace(text, match => stubParameters.Contains(match.Groups[1].Value) ? match.Value : $"<c>{match.Groups[1].Value}</c>");
}
