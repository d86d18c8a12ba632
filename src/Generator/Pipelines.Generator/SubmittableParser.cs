using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>Turns a [Submittable] method symbol into a <see cref="SubmittableMethod"/> model, or null when it cannot have stubs.</summary>
internal static partial class SubmittableParser
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
        TypeFacts typeFacts = TypeFacts.Of(method.ContainingType);
        if (SubmittableRules.FindViolation(method, arguments, typeFacts.Violation) is not null
            || HasErrorTypes(method)
            || HasBrokenSignature(context.TargetNode))
        {
            return null; // the analyzer reports what is wrong; the compiler reports error types and syntax errors
        }

        cancellationToken.ThrowIfCancellationRequested();
        INamedTypeSymbol type = method.ContainingType;
        string containingType = typeFacts.Display;
        string stubName = explicitName ?? method.Name;
        string ns = typeFacts.Namespace;
        bool publicChain = typeFacts.IsPublicChain;

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

        // The declaration the attribute is on (HasBrokenSignature made sure it is one); a partial method has two, whose
        // defaults the compiler reconciles, so its parameters ask the compiler.
        SeparatedSyntaxList<ParameterSyntax> declared = ((MethodDeclarationSyntax)context.TargetNode).ParameterList.Parameters;
        bool oneDeclaration = method.PartialDefinitionPart is null && method.PartialImplementationPart is null && declared.Count == method.Parameters.Length;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            string parameterType = parameter.Type.ToDisplayString(TypeFormat);
            methodParameterTypes[i] = parameterType;
            if (!SubmittableRules.IsCancellationToken(parameter.Type))
            {
                collisionTypes.Add(parameterType); // as declared: stubs that differ only in nullability would still clash
            }

            ParameterAttributes attributes = oneDeclaration && declared[i].AttributeLists.Count == 0 ? default : AttributesOf(parameter);
            bool callerInfo = attributes.CallerAttributes is not null || attributes.CallerArgumentExpression is not null;
            ParameterKind kind = callerInfo && !SubmittableRules.IsCancellationToken(parameter.Type) ? ParameterKind.FutureOr : Classify(parameter.Type);
            (CollectionKind collection, ITypeSymbol? element) = !callerInfo && kind is ParameterKind.FutureOr or ParameterKind.InterfacePair
                && parameter.Type.NullableAnnotation != NullableAnnotation.Annotated && attributes.NullState is null
                    ? ClassifyCollection(parameter.Type)
                    : (CollectionKind.None, null);

            parameters.Add(new ParameterModel(
                Escape(parameter.Name),
                parameterType,
                kind,
                DefaultValueOf(parameter, parameterType, oneDeclaration ? declared[i] : null),
                docs.Parameters.TryGetValue(parameter.Name, out string? doc) ? doc : null,
                TypeOf(parameter.Type, parameterType),
                IsParams: parameter.IsParams && i == method.Parameters.Length - 1, // elsewhere it is the compiler's error (CS0231)
                IsNullableReference: parameter.Type.IsReferenceType && (parameter.Type.NullableAnnotation == NullableAnnotation.Annotated || attributes.NullState == NullState.Allowed),
                HasPlainForm: !FutureConvertsTo(parameter.Type),
                Collection: collection,
                CollectionElement: element?.ToDisplayString(TypeFormat),
                CallerAttributes: attributes.CallerAttributes,
                CallerArgumentExpression: attributes.CallerArgumentExpression,
                NullState: attributes.NullState));
        }

        if (!method.IsStatic)
        {
            parameters[0] = parameters[0] with { Name = UniqueName("target", parameters) };
        }

        // Overloads need names that differ: a stable hash of the signature (FNV-1a; string.GetHashCode is randomized).
        ImmutableArray<ISymbol> sameName = type.GetMembers(method.Name);
        if (sameName.Length > 1 && HasDuplicate(method, sameName))
        {
            return null; // two methods with one signature: the compiler's error (CS0111), and any call of either is ambiguous
        }

        string suffix = sameName.Length > 1
            ? "_" + StableHash(containingType + "." + method.Name + "(" + string.Join(",", methodParameterTypes) + ")`" + method.Arity)
            : string.Empty;

        (int labelParameter, bool labelInherits) = DefaultLabel(method);
        return new SubmittableMethod(
            Namespace: ns,
            StubsClassName: typeFacts.StubsClassName,
            ClassAccessibility: publicChain ? "public" : "internal",
            StubAccessibility: publicChain && method.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            StubName: stubName,
            ContainingType: containingType,
            MethodName: Escape(method.Name),
            MethodDocumentationId: method.GetDocumentationCommentId() ?? string.Empty,
            IsStatic: method.IsStatic,
            ReturnKind: returnKind,
            ResultType: resultType ?? "global::Pipelines.Internals.VoidResult",
            Parameters: parameters.ToEquatableArray(),
            TypeParameters: method.TypeParameters.Length == 0 ? default : method.TypeParameters.Select(ToModel).ToEquatableArray(),
            Summary: docs.Summary,
            OtherDocumentation: docs.Other,
            CallClassName: $"{method.Name}Call{suffix}",
            HintName: $"{typeFacts.HintPrefix}{method.Name}{suffix}.g.cs",
            CollisionKey: SubmittableRules.CollisionKey(ns, stubName, method.Arity, collisionTypes),
            TypeDocumentationId: typeFacts.DocumentationId,
            ResultTypeOfType: result is null ? string.Empty : TypeOf(result, resultType!),
            MentionsDynamic: MentionsDynamic(method),
            Retries: arguments.Retries,
            TimeoutMilliseconds: arguments.TimeoutMilliseconds,
            RetryOn: arguments.RetryOnTypeNames(),
            Deprecation: Deprecation.Of(method) is { } deprecation && deprecation != Deprecation.None ? deprecation : null,
            Label: arguments.Label,
            LabelParameter: labelParameter,
            LabelInherits: labelInherits);
    }

    /// <summary>Another method of the type has the same signature (equal documentation IDs); a partial method's parts are one.</summary>
    private static bool HasDuplicate(IMethodSymbol method, ImmutableArray<ISymbol> sameName)
    {
        string? id = method.GetDocumentationCommentId();
        IMethodSymbol definition = method.PartialDefinitionPart ?? method;
        foreach (ISymbol member in sameName)
        {
            if (member is IMethodSymbol other
                && !SymbolEqualityComparer.Default.Equals(other, definition)
                && !SymbolEqualityComparer.Default.Equals(other, method)
                && other.GetDocumentationCommentId() == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A half-typed signature (a missing identifier, an unclosed list) would be copied into the stubs broken.
    /// Errors in the body do not matter: the stubs stay available while the user types inside it.
    /// </summary>
    private static bool HasBrokenSignature(SyntaxNode node)
    {
        for (SyntaxNode? ancestor = node.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            bool broken = ancestor switch
            {
                BaseNamespaceDeclarationSyntax ns => ns.Name.ContainsDiagnostics || ns.Name.IsMissing,
                BaseTypeDeclarationSyntax type => type.Identifier.IsMissing,
                _ => false,
            };
            if (broken)
            {
                return true;
            }
        }

        if (node is not MethodDeclarationSyntax declaration
            || declaration.Identifier.IsMissing
            || declaration.ReturnType.ContainsDiagnostics
            || declaration.ParameterList.ContainsDiagnostics
            || declaration.TypeParameterList?.ContainsDiagnostics == true)
        {
            return true;
        }

        foreach (TypeParameterConstraintClauseSyntax clause in declaration.ConstraintClauses)
        {
            if (clause.ContainsDiagnostics)
            {
                return true;
            }
        }

        return false;
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
