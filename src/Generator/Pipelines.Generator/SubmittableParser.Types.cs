using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>How the parser reads types: return and parameter kinds, collections, defaults, constraints, error types.</summary>
internal static partial class SubmittableParser
{
    /// <summary>
    /// Whether a <c>Future&lt;T&gt;</c> converts to <paramref name="type"/> by itself (<c>object</c>, <c>dynamic</c>, the
    /// non-generic <c>Future</c>): a plain parameter of that type would take a future as the value instead of awaiting it.
    /// </summary>
    private static bool FutureConvertsTo(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Object
        || type.TypeKind == TypeKind.Dynamic
        || type is INamedTypeSymbol { Name: "Future", Arity: 0, ContainingType: null, ContainingNamespace: { Name: "Pipelines", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary><paramref name="display"/> without nullable reference annotations, as <c>typeof</c> needs it; printed again only when it has some.</summary>
    private static string TypeOf(ITypeSymbol type, string display) =>
        HasNullableReferenceAnnotation(type) ? type.ToDisplayString(TypeOfFormat) : display;

    private static bool HasNullableReferenceAnnotation(ITypeSymbol type) =>
        (type.NullableAnnotation == NullableAnnotation.Annotated && !type.IsValueType)
        || type switch
        {
            IArrayTypeSymbol array => HasNullableReferenceAnnotation(array.ElementType),
            INamedTypeSymbol { IsGenericType: true } named => AnyTypeArgument(named, HasNullableReferenceAnnotation),
            _ => false,
        };

    // The type walks here run for every parameter of every [Submittable] method after every edit: they loop over
    // ImmutableArrays (LINQ would box an enumerator and allocate a closure per call) and pass static method groups,
    // whose delegates the compiler caches.

    /// <summary>Whether <paramref name="test"/> holds for any type argument of <paramref name="type"/>.</summary>
    private static bool AnyTypeArgument(INamedTypeSymbol type, Func<ITypeSymbol, bool> test)
    {
        foreach (ITypeSymbol argument in type.TypeArguments)
        {
            if (test(argument))
            {
                return true;
            }
        }

        return false;
    }

    private static ParameterKind Classify(ITypeSymbol type)
    {
        if (SubmittableRules.IsCancellationToken(type))
        {
            return ParameterKind.CancellationToken;
        }

        if (MentionsTypeParameter(type))
        {
            return ParameterKind.GenericPair;
        }

        // Lambdas and method groups have no type, so no user-defined conversion takes them: delegates pair up like interfaces.
        return type.TypeKind is TypeKind.Interface or TypeKind.Delegate ? ParameterKind.InterfacePair : ParameterKind.FutureOr;
    }

    private static bool MentionsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => MentionsTypeParameter(array.ElementType),
        INamedTypeSymbol named => AnyTypeArgument(named, MentionsTypeParameter),
        _ => false,
    };

    /// <summary>The return type or a parameter's type mentions <c>dynamic</c>.</summary>
    private static bool MentionsDynamic(IMethodSymbol method) => AnyInSignature(method, IsDynamic, constraints: false);

    private static bool IsDynamic(ITypeSymbol type) => type.TypeKind == TypeKind.Dynamic || type switch
    {
        IArrayTypeSymbol array => IsDynamic(array.ElementType),
        INamedTypeSymbol named => AnyTypeArgument(named, IsDynamic),
        _ => false,
    };

    /// <summary>Error types are the compiler's to report; copying them into stubs would only add more errors.</summary>
    private static bool HasErrorTypes(IMethodSymbol method) => AnyInSignature(method, IsError, constraints: true);

    private static bool IsError(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => IsError(array.ElementType),
        INamedTypeSymbol named => AnyTypeArgument(named, IsError),
        _ => type.TypeKind == TypeKind.Error,
    };

    /// <summary>Whether <paramref name="test"/> holds for the return type, a parameter's type or (with <paramref name="constraints"/>) a type parameter's constraint.</summary>
    private static bool AnyInSignature(IMethodSymbol method, Func<ITypeSymbol, bool> test, bool constraints)
    {
        if (test(method.ReturnType))
        {
            return true;
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (test(parameter.Type))
            {
                return true;
            }
        }

        if (constraints)
        {
            foreach (ITypeParameterSymbol typeParameter in method.TypeParameters)
            {
                foreach (ITypeSymbol constraint in typeParameter.ConstraintTypes)
                {
                    if (test(constraint))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static TypeParameterModel ToModel(ITypeParameterSymbol typeParameter)
    {
        var constraints = new List<string>();
        if (typeParameter.HasReferenceTypeConstraint)
        {
            constraints.Add(typeParameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (typeParameter.HasUnmanagedTypeConstraint)
        {
            constraints.Add("unmanaged");
        }
        else if (typeParameter.HasValueTypeConstraint)
        {
            constraints.Add("struct");
        }
        else if (typeParameter.HasNotNullConstraint)
        {
            constraints.Add("notnull");
        }

        constraints.AddRange(typeParameter.ConstraintTypes.Select(t => t.ToDisplayString(TypeFormat)));
        if (typeParameter.HasConstructorConstraint)
        {
            constraints.Add("new()");
        }

        return new TypeParameterModel(Escape(typeParameter.Name), constraints.Count == 0 ? null : string.Join(", ", constraints));
    }

    /// <summary>
    /// What a parameter's attributes change in its stubs: the caller-info attributes of an optional parameter
    /// (<c>[CallerMemberName]</c>, <c>[CallerLineNumber]</c> and <c>[CallerFilePath]</c> as C#, and the parameter
    /// <c>[CallerArgumentExpression]</c> names; the compiler honours them only on optional parameters), and the nullability
    /// a caller sees: <c>[AllowNull]</c> and <c>[DisallowNull]</c>.
    /// </summary>
    private static ParameterAttributes AttributesOf(IParameterSymbol parameter)
    {
        var found = default(ParameterAttributes);
        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is not { ContainingType: null, ContainingNamespace: { ContainingNamespace: { Name: "Runtime" or "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } namespaceOf } type)
            {
                continue;
            }

            switch (namespaceOf.Name, type.Name)
            {
                case ("CompilerServices", "CallerMemberNameAttribute" or "CallerLineNumberAttribute" or "CallerFilePathAttribute") when parameter.HasExplicitDefaultValue:
                    found = found with { CallerAttributes = found.CallerAttributes + $"[global::System.Runtime.CompilerServices.{type.Name.Substring(0, type.Name.Length - "Attribute".Length)}]" };
                    break;
                case ("CompilerServices", "CallerArgumentExpressionAttribute") when parameter.HasExplicitDefaultValue && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name:
                    found = found with { CallerArgumentExpression = name };
                    break;
                case ("CodeAnalysis", "AllowNullAttribute"):
                    found = found with { NullState = NullState.Allowed };
                    break;
                case ("CodeAnalysis", "DisallowNullAttribute"):
                    found = found with { NullState = NullState.Disallowed };
                    break;
            }
        }

        return found;
    }

    /// <summary>See <see cref="AttributesOf"/>.</summary>
    /// <param name="CallerAttributes">Caller-info attributes as C#, or null.</param>
    /// <param name="CallerArgumentExpression">The parameter <c>[CallerArgumentExpression]</c> names, or null.</param>
    /// <param name="NullState">[AllowNull] or [DisallowNull], or null.</param>
    private readonly record struct ParameterAttributes(string? CallerAttributes, string? CallerArgumentExpression, NullState? NullState);

    /// <summary>The parameter's default as a C# expression of its type, or null when it has none.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="type">Its type as the stubs print it.</param>
    /// <param name="syntax">
    /// Its declaration, when the method has exactly one (not a partial method): the caller has it at hand, and finding it
    /// from the symbol walks the tree from the root for every parameter on every run of the generator.
    /// </param>
    internal static string? DefaultValueOf(IParameterSymbol parameter, string type, ParameterSyntax? syntax)
    {
        // From syntax when it says all: no default, or a literal of exactly the parameter's type. Anything else (enums,
        // conversions, constants, [DefaultParameterValue]) asks the compiler, which binds the default expression.
        object? value;
        if (syntax is not null)
        {
            if (syntax.Default is null && syntax.AttributeLists.Count == 0)
            {
                return null;
            }

            if (syntax.Default is { Value: var expression } && LiteralOfType(expression, parameter.Type, out value))
            {
                return Format(value, parameter, type);
            }
        }

        return DefaultValueFromCompiler(parameter, type);
    }

    /// <summary>The default as the compiler binds it: what the syntax shortcut in <see cref="DefaultValueOf"/> is tested against.</summary>
    internal static string? DefaultValueFromCompiler(IParameterSymbol parameter, string type) =>
        parameter.HasExplicitDefaultValue ? Format(parameter.ExplicitDefaultValue, parameter, type) : null;

    /// <summary>A literal (or a negated numeric literal) whose value already has the parameter's (underlying) type, or <c>null</c>/<c>default</c>.</summary>
    private static bool LiteralOfType(ExpressionSyntax expression, ITypeSymbol type, out object? value)
    {
        value = null;
        bool negate = false;
        if (expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax operand })
        {
            negate = true;
            expression = operand;
        }

        if (expression is not LiteralExpressionSyntax literal)
        {
            return false;
        }

        if (literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression))
        {
            // null for references and nullable value types; other value types' defaults are constants (0, false) to the compiler.
            return !negate && (type.IsReferenceType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T);
        }

        ITypeSymbol underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        value = literal.Token.Value;
        bool matches = (underlying.SpecialType, value) switch
        {
            (SpecialType.System_String, string) => !negate,
            (SpecialType.System_Char, char) => !negate,
            (SpecialType.System_Boolean, bool) => !negate,
            (SpecialType.System_Int32, int) => true,
            (SpecialType.System_Int64, long) => true,
            (SpecialType.System_Double, double) => true,
            (SpecialType.System_Single, float) => true,
            (SpecialType.System_Decimal, decimal) => true,
            (SpecialType.System_UInt32, uint) => !negate,
            (SpecialType.System_UInt64, ulong) => !negate,
            _ => false,
        };
        if (!matches || (negate && value is int.MinValue or long.MinValue))
        {
            return false;
        }

        if (negate)
        {
            value = value switch
            {
                int i => -i,
                long l => -l,
                double d => -d,
                float f => -f,
                decimal m => -m,
                _ => value,
            };
        }

        return true;
    }

    /// <summary>The default <paramref name="value"/> as a constant C# expression of the parameter's type.</summary>
    private static string Format(object? value, IParameterSymbol parameter, string type)
    {
        if (value is null)
        {
            // 'T x = default!' or 'string s = null!': null for a type that is not declared nullable. The '!' the user wrote,
            // repeated, or the stub's default and the call's argument would warn in generated code.
            bool notNullable = !parameter.Type.IsValueType && parameter.Type.NullableAnnotation != NullableAnnotation.Annotated;
            return notNullable ? $"default({type})!" : $"default({type})";
        }

        string literal = value switch
        {
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "F",
            double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture) + "M",
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture) + "L",
            ulong ul => ul.ToString(System.Globalization.CultureInfo.InvariantCulture) + "UL",
            uint ui => ui.ToString(System.Globalization.CultureInfo.InvariantCulture) + "U",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => $"default({type})",
        };

        // The cast turns the constant into the parameter's type: enums, narrow integers. A nullable value type gets its
        // underlying type, so the expression stays a constant (a valid parameter default) that converts implicitly.
        if (parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0].ToDisplayString(TypeFormat);
        }

        return $"({type})({literal})";
    }

    private static (ReturnKind Kind, ITypeSymbol? Result) ClassifyReturn(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return (ReturnKind.Void, null);
        }

        ITypeSymbol returnType = method.ReturnType;
        if (returnType is INamedTypeSymbol { ContainingType: null, ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } named)
        {
            switch (named.MetadataName)
            {
                case "Task":
                    return (ReturnKind.Task, null);
                case "ValueTask":
                    return (ReturnKind.ValueTask, null);
                case "Task`1":
                    return (ReturnKind.TaskOfT, named.TypeArguments[0]);
                case "ValueTask`1":
                    return (ReturnKind.ValueTaskOfT, named.TypeArguments[0]);
            }
        }

        return (ReturnKind.Value, returnType);
    }

    /// <summary>
    /// <c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c> or <c>IEnumerable&lt;T&gt;</c> with <c>T</c> neither
    /// <c>object</c>-like nor a future: the stubs also take futures of its elements. Nullable collections are left out (a
    /// <c>null</c> would match both the collection and the futures overload).
    /// </summary>
    private static (CollectionKind Kind, ITypeSymbol? Element) ClassifyCollection(ITypeSymbol type)
    {
        (CollectionKind kind, ITypeSymbol? element) = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => (CollectionKind.Array, array.ElementType),
            INamedTypeSymbol { Arity: 1, ContainingType: null, ContainingNamespace: { Name: "Generic", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } named => named.Name switch
            {
                "List" when named.TypeKind == TypeKind.Class => (CollectionKind.List, named.TypeArguments[0]),
                "IReadOnlyList" => (CollectionKind.ReadOnlyList, named.TypeArguments[0]),
                "IEnumerable" => (CollectionKind.Enumerable, named.TypeArguments[0]),
                _ => (CollectionKind.None, null),
            },
            _ => (CollectionKind.None, (ITypeSymbol?)null),
        };

        return element is null || FutureConvertsTo(element) || element.TypeKind == TypeKind.Pointer
            || element is INamedTypeSymbol { Name: "Future", ContainingNamespace: { Name: "Pipelines", ContainingNamespace.IsGlobalNamespace: true } }
            ? (CollectionKind.None, null)
            : (kind, element);
    }
}
