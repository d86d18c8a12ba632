using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The call class's label: what tells one call of the method from another in graphs, spans and the dashboard.</summary>
internal static partial class SubmittableEmitter
{
    /// <summary>
    /// <c>Label</c>, read by the runtime only while something records and only while the call holds its arguments: the
    /// template's parts joined, or the default parameter's value (or inherited label); nothing when there is no parameter.
    /// </summary>
    private static void WriteLabel(IndentedTextWriter writer, SubmittableMethod method)
    {
        string? expression = method.Label is { } template ? TemplateLabel(method, template) : DefaultLabel(method);
        if (expression is null)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine($"protected override string? Label => {expression};");
    }

    private static string? DefaultLabel(SubmittableMethod method)
    {
        if (method.LabelParameter < 0 || method.LabelParameter >= method.Parameters.Count)
        {
            return null;
        }

        ParameterModel parameter = method.Parameters[method.LabelParameter];
        return $"{Internals}.CallLabels.{(method.LabelInherits ? "Inherited" : "Of")}({Field(parameter)})";
    }

    private static string? TemplateLabel(SubmittableMethod method, string template)
    {
        if (LabelTemplate.Parse(template).Parts is not { } parts)
        {
            return null; // the analyzer reports it (PIPE0106), and the generator skips such a method before it gets here
        }

        var pieces = new List<string>(parts.Count);
        foreach (LabelTemplate.Part part in parts)
        {
            if (!part.IsParameter)
            {
                pieces.Add(LabelTemplate.Literal(part.Text));
                continue;
            }

            // Skip the instance method's 'target': templates name the method's own parameters.
            ParameterModel? parameter = method.Parameters.Skip(method.IsStatic ? 0 : 1).FirstOrDefault(p => p.Name.TrimStart('@') == part.Text);
            pieces.Add(parameter is null ? "null" : $"{Internals}.CallLabels.Of({Field(parameter)})");
        }

        return $"{Internals}.CallLabels.Join({string.Join(", ", pieces)})";
    }
}
