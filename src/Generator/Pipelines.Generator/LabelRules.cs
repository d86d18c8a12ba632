using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Generator.Helpers;

namespace Pipelines.Generator;

/// <summary>
/// Call labels (<c>[Submittable(Label = "{path}")]</c>): which templates are valid (checked like the other attribute
/// properties, PIPE0106) and which parameter labels a call by default.
/// </summary>
internal static class LabelRules
{
    /// <summary>What is wrong with <paramref name="template"/> on <paramref name="method"/>, or null when it is fine.</summary>
    public static string? Violation(IMethodSymbol method, string template)
    {
        (List<LabelTemplate.Part>? parts, string? error) = LabelTemplate.Parse(template);
        if (parts is null)
        {
            return error;
        }

        foreach (LabelTemplate.Part part in parts.Where(static p => p.IsParameter))
        {
            IParameterSymbol? parameter = method.Parameters.FirstOrDefault(p => p.Name == part.Text);
            if (parameter is null)
            {
                string names = string.Join(", ", method.Parameters.Where(static p => !SubmittableRules.IsCancellationToken(p.Type)).Select(static p => p.Name));
                return $"the Label template \"{template}\" names '{part.Text}', which is not a parameter of the method ({(names.Length == 0 ? "it has none" : "its parameters: " + names)})";
            }

            if (SubmittableRules.IsCancellationToken(parameter.Type))
            {
                return $"the Label template \"{template}\" names '{part.Text}', a CancellationToken, which the runtime passes and a label cannot show";
            }
        }

        return null;
    }

    /// <summary>
    /// True for the types a default label shows: strings, characters, Booleans, numbers and enums (and their nullable
    /// forms). Their text is short and says which call it is; other types would print a type name or run user code.
    /// </summary>
    public static bool IsSimple(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_String or SpecialType.System_Char or SpecialType.System_Boolean
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;
    }
}
