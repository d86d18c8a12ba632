using Microsoft.CodeAnalysis;

namespace Pipelines.Generator;

/// <summary>How the parser picks the parameter that labels a call by default.</summary>
internal static partial class SubmittableParser
{
    /// <summary>
    /// The parameter that labels a call when the attribute gives no template: the method's first parameter of a simple type
    /// (<see cref="LabelRules.IsSimple"/>), shown as its value; else its first parameter, shown only when it is a future of a
    /// call with a label (inherited); none for a method without parameters. The index is into the model's parameters, where
    /// an instance method's <c>target</c> comes first.
    /// </summary>
    private static (int Index, bool Inherits) DefaultLabel(IMethodSymbol method)
    {
        int offset = method.IsStatic ? 0 : 1;
        int first = -1;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            ITypeSymbol type = method.Parameters[i].Type;
            if (SubmittableRules.IsCancellationToken(type))
            {
                continue;
            }

            if (LabelRules.IsSimple(type))
            {
                return (i + offset, false);
            }

            if (first < 0)
            {
                first = i + offset;
            }
        }

        return (first, first >= 0);
    }
}
