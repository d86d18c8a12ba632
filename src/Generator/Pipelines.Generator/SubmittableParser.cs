using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml.Linq;
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
        if (context.TargetSymbol is not IMethodSymbol method
            || SubmittableRules.FindViolation(method) is not null
            || HasErrorTypes(method)
            || HasBrokenSignature(context.TargetNode))
        {
            return null; // the analyzer reports what is wrong; the compiler reports error types and syntax errors
        }

        cancellationToken.ThrowIfCancellationRequested();
        INamedTypeSymbol type = method.ContainingType;
        string containingType = type.ToDisplayString(TypeFormat);
        string stubName = SubmittableRules.StubNameOf(method, context.Attributes) ?? method.Name;
        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        string flatTypeName = FlatName(type);

        (ReturnKind returnKind, ITypeSymbol? result) = ClassifyReturn(method);
        string resultType = result?.ToDisplayString(TypeFormat) ?? "global::Pipelines.Advanced.VoidResult";

        Documentation docs = Documentation.Read(method, context.TargetNode, cancellationToken);
        var parameters = new List<ParameterModel>();
        if (!method.IsStatic)
        {
            parameters.Add(new ParameterModel("target", containingType, ParameterKind.FutureOr, null, "The instance whose method runs. A value or a future of it.", type.ToDisplayString(TypeOfFormat)));
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            parameters.Add(new ParameterModel(
                Escape(parameter.Name),
                parameter.Type.ToDisplayString(TypeFormat),
                Classify(parameter.Type),
                DefaultValueOf(parameter),
                docs.ParameterDocs.TryGetValue(parameter.Name, out string? doc) ? doc : null,
                parameter.Type.ToDisplayString(TypeOfFormat)));
        }

        if (!method.IsStatic)
        {
            parameters[0] = parameters[0] with { Name = UniqueName("target", parameters) };
        }

        string hash = StableHash(containingType + "." + method.Name + "(" + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(TypeFormat))) + ")`" + method.Arity);
        bool overloaded = type.GetMembers(method.Name).Length > 1;

        return new SubmittableMethod(
            Namespace: ns,
            StubsClassName: flatTypeName + "Stubs",
            ClassAccessibility: IsPublicChain(type) ? "public" : "internal",
            StubAccessibility: IsPublicChain(type) && method.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            StubName: stubName,
            ContainingType: containingType,
            MethodName: Escape(method.Name),
            MethodDocumentationId: method.GetDocumentationCommentId() ?? string.Empty,
            IsStatic: method.IsStatic,
            ReturnKind: returnKind,
            ResultType: resultType,
            Parameters: parameters.ToEquatableArray(),
            TypeParameters: method.TypeParameters.Select(ToModel).ToEquatableArray(),
            Summary: docs.Summary,
            OtherDocumentation: docs.Other,
            CallClassName: $"{method.Name}Call" + (overloaded ? "_" + hash : string.Empty),
            HintName: $"{(ns.Length == 0 ? string.Empty : ns + ".")}{flatTypeName}.{method.Name}{(overloaded ? "_" + hash : string.Empty)}.g.cs",
            CollisionKey: SubmittableRules.CollisionKey(method),
            TypeDocumentationId: type.GetDocumentationCommentId() ?? string.Empty,
            ResultTypeOfType: result?.ToDisplayString(TypeOfFormat) ?? string.Empty,
            MentionsDynamic: Mentions(method.ReturnType, TypeKind.Dynamic) || method.Parameters.Any(p => Mentions(p.Type, TypeKind.Dynamic)));
    }

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
        if (returnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
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
    private static string? DefaultValueOf(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        string type = parameter.Type.ToDisplayString(TypeFormat);
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

        // The cast turns the constant into the parameter's type: enums, nullable value types, narrow integers.
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

    /// <summary>The method's XML docs split into summary, per-parameter docs and the rest.</summary>
    private sealed class Documentation
    {
        public string? Summary { get; private set; }

        public string? Other { get; private set; }

        public Dictionary<string, string> ParameterDocs { get; } = new(StringComparer.Ordinal);

        public static Documentation Read(IMethodSymbol method, SyntaxNode node, CancellationToken cancellationToken)
        {
            var docs = new Documentation();
            string? xml = InnerXml(method, cancellationToken) ?? FromTrivia(node);
            if (string.IsNullOrWhiteSpace(xml))
            {
                return docs;
            }

            XElement root;
            try
            {
                root = XElement.Parse("<doc>" + xml + "</doc>", LoadOptions.PreserveWhitespace);
            }
            catch (System.Xml.XmlException)
            {
                return docs; // malformed docs: the compiler warns about them; the stubs get our own text only
            }

            var other = new StringBuilder();
            foreach (XElement element in root.Elements())
            {
                switch (element.Name.LocalName)
                {
                    case "summary":
                        docs.Summary = Inner(element);
                        break;
                    case "param" when element.Attribute("name")?.Value is { } name:
                        docs.ParameterDocs[name] = Inner(element);
                        break;
                    case "returns":
                        break; // the stubs return a future; they say so themselves
                    default:
                        other.Append(element.ToString(SaveOptions.DisableFormatting)).Append('\n');
                        break;
                }
            }

            docs.Other = other.Length == 0 ? null : other.ToString().TrimEnd('\n');
            return docs;
        }

        private static string Inner(XElement element) =>
            Normalize(string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))));

        /// <summary>Collapses the indentation of multi-line doc text.</summary>
        private static string Normalize(string text) =>
            string.Join("\n", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

        /// <summary>Docs as the compiler sees them (crefs resolved to IDs), when it parses doc comments.</summary>
        private static string? InnerXml(IMethodSymbol method, CancellationToken cancellationToken)
        {
            string? xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
            if (string.IsNullOrWhiteSpace(xml))
            {
                return null;
            }

            try
            {
                XElement member = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
                return string.Concat(member.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        /// <summary>Docs from the raw <c>///</c> lines, for compilations that do not parse doc comments.</summary>
        private static string? FromTrivia(SyntaxNode node)
        {
            var lines = new StringBuilder();
            foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                {
                    foreach (string line in trivia.ToFullString().Split('\n'))
                    {
                        string trimmed = line.Trim();
                        if (trimmed.StartsWith("///", StringComparison.Ordinal))
                        {
                            lines.Append(trimmed.Substring(3)).Append('\n');
                        }
                    }
                }
            }

            return lines.Length == 0 ? null : lines.ToString();
        }
    }
}
