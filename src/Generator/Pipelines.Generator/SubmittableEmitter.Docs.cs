using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The stubs' XML docs: the method's own, plus which arguments take futures.</summary>
internal static partial class SubmittableEmitter
{
    private static void WriteDocs(IndentedTextWriter writer, SubmittableMethod method, StubNames names, Shape shape)
    {
        bool isThen = shape.Skip >= 0;
        var lines = new List<string> { "<summary>" };
        if (method.Summary is not null)
        {
            lines.AddRange(method.Summary.Split('\n'));
        }

        string source = isThen ? method.Parameters[names.ThenSourceIndex].Name.TrimStart('@') : string.Empty;
        lines.Add(isThen
            ? $"<para>Runs <see cref=\"{method.MethodDocumentationId}\"/> on the executor of <paramref name=\"{names.Source}\"/> once it succeeds, with its result as <c>{source}</c>. The other arguments accept a value or a future of it; futures are unwrapped when they complete, without blocking a thread.</para>"
            : $"<para>Submits <see cref=\"{method.MethodDocumentationId}\"/> to <paramref name=\"{names.Executor}\"/>. Every argument accepts a value or a future of it; futures are unwrapped when they complete, without blocking a thread.</para>");
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

            string how = shape.TakesFutures(i)
                ? "Futures of its elements: the call runs when all have succeeded, with their results in order."
                : "A value or a future of it.";
            string doc = parameter.Documentation is null ? how : parameter.Documentation.Replace("\n", " ") + " " + how;
            lines.Add($"<param name=\"{parameter.Name.TrimStart('@')}\">{doc}</param>");
        }

        lines.Add("<returns>A future of the call. If an argument future faults or is cancelled, so does this one, with the same exception, and the method does not run.</returns>");
        if (method.OtherDocumentation is not null)
        {
            lines.AddRange(method.OtherDocumentation.Split('\n'));
        }

        foreach (string line in lines)
        {
            writer.WriteLine("/// " + line);
        }
    }
}
