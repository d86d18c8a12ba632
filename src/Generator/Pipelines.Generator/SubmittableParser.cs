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

/// <summary>Turns a [Submittable] method symbol into a <see cref="SubmittableMethod"/> model, or null when it cannot have stubs.</summary>
internal static class SubmittableParser
{
    /// <summary>Fully qualified names with nullable annotations: <c>global::</c> comes free.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>For <c>typeof(…)</c>, which rejects nullable reference annotations.</summary>
    public static readonly SymbolDisplayFormat TypeOfFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    public static SubmittableMethod? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method)
        {
            return null;
        }

        // Read once, from the attribute ForAttributeWithMetadataName matched: no other attribute is bound.
        SubmittableArguments arguments = SubmittableArguments.From(context.Attributes);
        string? explicitName = arguments.Name;
        if (SubmittableRules.FindViolation(method, arguments) is not null
            || HasErrorTypes(method)
            || HasBrokenSignature(context.TargetNode))
        {
            return null; // the analyzer reports what is wrong; the compiler reports error types and syntax errors
        }

        cancellationToken.ThrowIfCancellationRequested();
        INamedTypeSymbol type = method.ContainingType;
        string containingType = type.ToDisplayString(TypeFormat);
        string stubName = explicitName ?? method.Name;
        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        string flatTypeName = FlatName(type);
        bool publicChain = IsPublicChain(type);

        (ReturnKind returnKind, ITypeSymbol? result) = ClassifyReturn(method);
        string? resultType = result?.ToDisplayString(TypeFormat);

        DocumentationParts docs = DocumentationComments.Read(method, context.TargetNode, cancellationToken);
        var parameters = new List<ParameterModel>(method.Parameters.Length + (method.IsStatic ? 0 : 1));
        if (!method.IsStatic)
        {
            parameters.Add(new ParameterModel("target", containingType, ParameterKind.FutureOr, null, "The instance whose method runs. A value or a future of it.", TypeOf(type, containingType)));
        }

        // Each type is printed once; the stub-parameter list, hash and collision key below reuse the strings.
        var methodParameterTypes = new string[method.Parameters.Length];
        var collisionTypes = new List<string>(method.Parameters.Length + 1);
        if (!method.IsStatic)
        {
            collisionTypes.Add(containingType); // the stubs' 'target'
        }

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            string parameterType = parameter.Type.ToDisplayString(TypeFormat);
            methodParameterTypes[i] = parameterType;
            ParameterKind kind = Classify(parameter.Type);
            (CollectionKind collection, ITypeSymbol? element) = kind is ParameterKind.FutureOr or ParameterKind.InterfacePair
                && parameter.Type.NullableAnnotation != NullableAnnotation.Annotated
                    ? ClassifyCollection(parameter.Type)
                    : (CollectionKind.None, null);
            if (kind != ParameterKind.CancellationToken)
            {
                collisionTypes.Add(parameterType);
            }

            parameters.Add(new ParameterModel(
                Escape(parameter.Name),
                parameterType,
                kind,
                DefaultValueOf(parameter, parameterType),
                docs.Parameters.TryGetValue(parameter.Name, out string? doc) ? doc : null,
                TypeOf(parameter.Type, parameterType),
                IsParams: parameter.IsParams,
                IsNullableReference: parameter.Type.NullableAnnotation == NullableAnnotation.Annotated && parameter.Type.IsReferenceType,
                HasPlainForm: !FutureConvertsTo(parameter.Type),
                Collection: collection,
                CollectionElement: element?.ToDisplayString(TypeFormat)));
        }

        if (!method.IsStatic)
        {
            parameters[0] = parameters[0] with { Name = UniqueName("target", parameters) };
        }

        // Overloads need names that differ: a stable hash of the signature (FNV-1a; string.GetHashCode is randomized).
        string suffix = type.GetMembers(method.Name).Length > 1
            ? "_" + StableHash(containingType + "." + method.Name + "(" + string.Join(",", methodParameterTypes) + ")`" + method.Arity)
            : string.Empty;

        return new SubmittableMethod(
            Namespace: ns,
            StubsClassName: flatTypeName + "Stubs",
            ClassAccessibility: publicChain ? "public" : "internal",
            StubAccessibility: publicChain && method.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            StubName: stubName,
            ContainingType: containingType,
            MethodName: Escape(method.Name),
            MethodDocumentationId: method.GetDocumentationCommentId() ?? string.Empty,
            IsStatic: method.IsStatic,
            ReturnKind: returnKind,
            ResultType: resultType ?? "global::Pipelines.Advanced.VoidResult",
            Parameters: parameters.ToEquatableArray(),
            TypeParameters: method.TypeParameters.Length == 0 ? default : method.TypeParameters.Select(ToModel).ToEquatableArray(),
            Summary: docs.Summary,
            OtherDocumentation: docs.Other,
            CallClassName: $"{method.Name}Call{suffix}",
            HintName: $"{(ns.Length == 0 ? string.Empty : ns + ".")}{flatTypeName}.{method.Name}{suffix}.g.cs",
            CollisionKey: SubmittableRules.CollisionKey(ns, stubName, method.Arity, collisionTypes),
            TypeDocumentationId: type.GetDocumentationCommentId() ?? string.Empty,
            ResultTypeOfType: result is null ? string.Empty : TypeOf(result, resultType!),
            MentionsDynamic: Mentions(method.ReturnType, TypeKind.Dynamic) || method.Parameters.Any(p => Mentions(p.Type, TypeKind.Dynamic)),
            Retries: arguments.Retries,
            TimeoutMilliseconds: arguments.TimeoutMilliseconds);
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
            INamedTypeSymbol { IsGenericType: true } named => named.TypeArguments.Any(HasNullableReferenceAnnotation),
            _ => false,
        };

    /// <summary>Containing types joined by '_', so nested <c>Outer.Jobs</c> gets <c>Outer_JobsStubs</c>.</summary>
    private static string FlatName(INamedTypeSymbol type) =>
        type.ContainingType is null ? type.Name : FlatName(type.ContainingType) + "_" + type.Name;

    private static bool IsPublicChain(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
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
        INamedTypeSymbol named => named.TypeArguments.Any(MentionsTypeParameter),
        _ => false,
    };

    /// <summary>
    /// A half-typed signature (a missing identifier, an unclosed list) would be copied into the stubs broken.
    /// Errors in the body do not matter: the stubs stay available while the user types inside it.
    /// </summary>
    private static bool HasBrokenSignature(SyntaxNode node) =>
        node.Ancestors().Any(ancestor => ancestor switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.Name.ContainsDiagnostics || ns.Name.IsMissing,
            BaseTypeDeclarationSyntax type => type.Identifier.IsMissing,
            _ => false,
        })
        || node is not MethodDeclarationSyntax declaration
        || declaration.Identifier.IsMissing
        || declaration.ReturnType.ContainsDiagnostics
        || declaration.ParameterList.ContainsDiagnostics
        || declaration.TypeParameterList?.ContainsDiagnostics == true
        || declaration.ConstraintClauses.Any(clause => clause.ContainsDiagnostics);

    /// <summary>Error types are the compiler's to report; copying them into stubs would only add more errors.</summary>
    private static bool Mentions(ITypeSymbol type, TypeKind kind) => type.TypeKind == kind || type switch
    {
        IArrayTypeSymbol array => Mentions(array.ElementType, kind),
        INamedTypeSymbol named => named.TypeArguments.Any(t => Mentions(t, kind)),
        _ => false,
    };

    private static bool HasErrorTypes(IMethodSymbol method) =>
        IsError(method.ReturnType)
        || method.Parameters.Any(p => IsError(p.Type))
        || method.TypeParameters.Any(t => t.ConstraintTypes.Any(IsError));

    private static bool IsError(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => IsError(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(IsError),
        _ => type.TypeKind == TypeKind.Error,
    };

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

    /// <summary>The parameter's default as a C# expression of its type, or null when it has none.</summary>
    private static string? DefaultValueOf(IParameterSymbol parameter, string type)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        object? value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return $"default({type})";
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

    private static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    private static string UniqueName(string name, List<ParameterModel> parameters)
    {
        string candidate = name;
        for (int i = 1; parameters.Skip(1).Any(p => p.Name == candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is randomized), for unique names and hint names.</summary>
    private static string StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
