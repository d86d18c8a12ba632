using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generator.Helpers;
using SubmittableDescriptors = Pipelines.Generator.Analyzers.DiagnosticDescriptors;

namespace Pipelines.Generator;

/// <summary>
/// Which [Submittable] methods can have stubs. One rule set for both sides: the generator skips a method that
/// breaks a rule silently, so its source output stays cached, and <see cref="Analyzers.SubmittableSignatureAnalyzer"/> reports it.
/// </summary>
internal static class SubmittableRules
{
    /// <summary>The first rule <paramref name="method"/> breaks, with the message arguments after the method name; null if it is fine.</summary>
    public static (DiagnosticDescriptor Descriptor, string Detail)? FindViolation(IMethodSymbol method) =>
        FindViolation(method, SubmittableArguments.From(method.GetAttributes().Where(a => IsSubmittableAttribute(a.AttributeClass))));

    /// <inheritdoc cref="FindViolation(IMethodSymbol)"/>
    /// <param name="method">The [Submittable] method.</param>
    /// <param name="arguments">What its attribute says, already read by the caller.</param>
    /// <param name="typeViolation">What <see cref="TypeViolation"/> says of the containing type, when the caller has it; null to work it out.</param>
    public static (DiagnosticDescriptor Descriptor, string Detail)? FindViolation(IMethodSymbol method, SubmittableArguments arguments, (DiagnosticDescriptor? Descriptor, string Detail)? typeViolation = null)
    {
        string? explicitName = arguments.Name;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            string what = method.MethodKind switch
            {
                MethodKind.LocalFunction => "local functions cannot be called from generated code; move it to a type",
                MethodKind.ExplicitInterfaceImplementation => "explicit interface implementations have no callable name; mark a public method instead",
                _ => "only ordinary methods can be submitted, not accessors, operators or constructors",
            };
            return (SubmittableDescriptors.UnsupportedDeclaration, what);
        }

        if (method.ContainingType is { } extension && extension.TypeKind.ToString() == "Extension")
        {
            // C# 14 extension blocks (TypeKind.Extension, newer than the Roslyn this builds against).
            return (SubmittableDescriptors.UnsupportedDeclaration, "members of extension blocks are not supported; write it as a static method of the class (with 'this' on its first parameter for an extension method)");
        }

        if (method.ContainingType is not { } type || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, "the method must be declared in a class, struct or record");
        }

        (DiagnosticDescriptor? typeDescriptor, string typeDetail) = typeViolation ?? TypeViolation(type);
        if (typeDescriptor is not null)
        {
            return (typeDescriptor, typeDetail);
        }

        if (!IsAssemblyVisible(method.DeclaredAccessibility))
        {
            return (SubmittableDescriptors.Inaccessible, $"it is {Describe(method.DeclaredAccessibility)}");
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return (SubmittableDescriptors.ByReference, "returns by reference");
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                string keyword = parameter.RefKind switch
                {
                    RefKind.Out => "out",
                    RefKind.In => "in",
                    RefKind.RefReadOnlyParameter => "ref readonly",
                    _ => "ref",
                };
                return (SubmittableDescriptors.ByReference, $"has the {keyword} parameter '{parameter.Name}'");
            }

            if (UnstorableType(parameter.Type) is { } detail)
            {
                return (SubmittableDescriptors.RefLikeType, detail);
            }
        }

        if (!method.ReturnsVoid && UnstorableType(method.ReturnType) is { } returned)
        {
            return (SubmittableDescriptors.RefLikeType, returned);
        }

        if (!method.IsStatic && type.IsRefLikeType)
        {
            // The stubs take the instance as an argument to store until the call runs: a ref struct cannot be stored.
            return (SubmittableDescriptors.RefLikeType, $"is an instance method of the ref struct '{type.Name}', whose value cannot be kept on the heap until the call runs; make the method static and pass what it needs");
        }

        if (method.IsVararg)
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, "it takes __arglist, which a stub cannot forward; take a params array instead");
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            return (SubmittableDescriptors.AsyncVoid, string.Empty);
        }

        if (explicitName is not null && !SyntaxFacts.IsValidIdentifier(explicitName))
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, $"the stub name \"{explicitName}\" is not a valid C# identifier");
        }

        // A member may not have the name of the class that holds it (CS0542): 'Submit{name}' or 'Then{name}' is '{type}Stubs'.
        string stubName = explicitName ?? method.Name;
        if (stubName.EndsWith("Stubs", System.StringComparison.Ordinal)
            && StubsClassNameOf(type) is { } stubsClass
            && ("Submit" + stubName == stubsClass || "Then" + stubName == stubsClass))
        {
            return (SubmittableDescriptors.GeneratedNameTaken, $"its stub would be named '{stubsClass}', like the class that holds it; give it another name with [Submittable(Name = \"...\")]");
        }

        if (arguments.Retries < 0)
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, $"Retries must be 0 or more, not {arguments.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (arguments.TimeoutMilliseconds < 0)
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, $"TimeoutMilliseconds must be 0 (no limit) or more, not {arguments.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (arguments.Label is { } label && LabelRules.Violation(method, label) is { } labelError)
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, labelError);
        }

        return RetryOnViolation(arguments);
    }

    /// <summary>
    /// What is wrong with <c>RetryOn</c>: the generated call tests a failure with <c>is</c> against each type, so each
    /// must be an accessible, closed exception type that a run can throw and the policy can rerun.
    /// </summary>
    private static (DiagnosticDescriptor Descriptor, string Detail)? RetryOnViolation(SubmittableArguments arguments)
    {
        if (arguments.RetryOn.IsDefaultOrEmpty)
        {
            return null;
        }

        if (arguments.Retries == 0)
        {
            return (SubmittableDescriptors.UnsupportedDeclaration, "RetryOn has no effect without Retries: set Retries to how many times a failed call runs again");
        }

        foreach (TypedConstant entry in arguments.RetryOn)
        {
            if (entry.Value is not ITypeSymbol type)
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, "RetryOn must list exception types; it contains null");
            }

            string name = type.ToDisplayString();
            if (type is INamedTypeSymbol { IsUnboundGenericType: true } || type.TypeKind == TypeKind.TypeParameter)
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, $"RetryOn cannot name the open type '{name}': name a closed exception type");
            }

            if (!DerivesFrom(type, "System.Exception"))
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, $"'{name}' in RetryOn is not an exception type");
            }

            if (DerivesFrom(type, "System.OperationCanceledException"))
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, $"'{name}' in RetryOn is a cancellation, which is never retried");
            }

            for (ISymbol? symbol = type; symbol is INamedTypeSymbol named; symbol = named.ContainingType)
            {
                if (!IsAssemblyVisible(named.DeclaredAccessibility))
                {
                    return (SubmittableDescriptors.UnsupportedDeclaration, $"'{name}' in RetryOn is {Describe(named.DeclaredAccessibility)}: the generated call cannot test for it");
                }
            }
        }

        return null;
    }

    private static bool DerivesFrom(ITypeSymbol type, string metadataName)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The rule the containing type <paramref name="type"/> (or a type around it) breaks; a null descriptor when it breaks
    /// none. Depends on the type alone, so the parser works it out once per type (<see cref="Helpers.TypeFacts"/>).
    /// </summary>
    public static (DiagnosticDescriptor? Descriptor, string Detail) TypeViolation(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!t.CanBeReferencedByName || t.IsImplicitlyDeclared)
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, "the method must be declared in a named class, struct or record (not in top-level statements or script code)");
            }

            if (t.TypeParameters.Length > 0)
            {
                return (SubmittableDescriptors.UnsupportedDeclaration, $"its containing type '{t.Name}' is generic; move the method to a non-generic type and make the method generic instead");
            }

            if (t.IsFileLocal())
            {
                return (SubmittableDescriptors.Inaccessible, $"'{t.Name}' is a file-local type");
            }

            if (!IsAssemblyVisible(t.DeclaredAccessibility))
            {
                return (SubmittableDescriptors.Inaccessible, $"its containing type '{t.Name}' is {Describe(t.DeclaredAccessibility)}");
            }
        }

        string stubsClass = StubsClassNameOf(type);
        foreach (ISymbol member in type.ContainingNamespace.GetMembers(stubsClass))
        {
            string? what = member switch
            {
                INamespaceSymbol => "a namespace",
                INamedTypeSymbol { Arity: 0 } taken when taken.DeclaringSyntaxReferences.Any(r => !IsGeneratorOutput(r.SyntaxTree)) => $"your {Describe(taken.TypeKind)}",
                _ => null,
            };
            if (what is not null)
            {
                return (SubmittableDescriptors.GeneratedNameTaken, $"'{stubsClass}', the name of the class that holds the stubs of '{type.Name}', is already {what} in this namespace; rename that one, or move the method to a type of another name");
            }
        }

        return (null, string.Empty);
    }

    /// <summary>The name of the static class that holds the stubs of <paramref name="type"/>'s methods: <c>{Outer_Type}Stubs</c>.</summary>
    public static string StubsClassNameOf(INamedTypeSymbol type) => FlatName(type) + "Stubs";

    /// <summary>Containing types joined by '_', so nested <c>Outer.Jobs</c> gives <c>Outer_Jobs</c>.</summary>
    public static string FlatName(INamedTypeSymbol type) =>
        type.ContainingType is null ? type.Name : FlatName(type.ContainingType) + "_" + type.Name;

    /// <summary>A file this generator wrote: Roslyn puts generated trees under a folder named after the generator's type.</summary>
    private static bool IsGeneratorOutput(SyntaxTree tree)
    {
        string path = tree.FilePath.Replace('\\', '/');
        string folder = typeof(SubmittableGenerator).FullName + "/";
        int at = path.IndexOf(folder, System.StringComparison.Ordinal);
        return at == 0 || (at > 0 && path[at - 1] == '/');
    }

    /// <summary>
    /// Equal for two methods whose stubs would have the same name and parameters in one namespace. One key for both
    /// sides: the generator skips colliding methods and the analyzer reports PIPE0104 on exactly the same ones.
    /// </summary>
    public static string CollisionKey(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        string ns = NamespaceOf(type);
        string name = StubNameOf(method, method.GetAttributes()) ?? method.Name;
        IEnumerable<string> types = method.Parameters
            .Where(p => !IsCancellationToken(p.Type))
            .Select(p => p.Type.ToDisplayString(SubmittableParser.TypeFormat));
        if (!method.IsStatic)
        {
            types = types.Prepend(type.ToDisplayString(SubmittableParser.TypeFormat)); // the stubs' 'target'
        }

        return CollisionKey(ns, name, method.Arity, types);
    }

    /// <summary>
    /// The namespace of <paramref name="type"/> as generated code names it (<c>namespace …</c>): keywords escaped
    /// (<c>@event</c>), empty for the global namespace.
    /// </summary>
    public static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(NamespaceFormat);

    private static readonly SymbolDisplayFormat NamespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>The collision key from parts the caller has already printed: namespace, stub name, arity, stub parameter types.</summary>
    public static string CollisionKey(string ns, string stubName, int arity, IEnumerable<string> stubParameterTypes) =>
        $"{ns}|{stubName}`{arity}({string.Join(",", stubParameterTypes)})";

    /// <summary>CancellationToken parameters are not in the stubs: the runtime passes the call's own token.</summary>
    public static bool IsCancellationToken(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "CancellationToken", ContainingType: null, ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>The explicit <c>Name</c> of the [Submittable] attribute among <paramref name="attributes"/>, or null.</summary>
    public static string? StubNameOf(IMethodSymbol method, System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (AttributeData attribute in attributes)
        {
            if (IsSubmittableAttribute(attribute.AttributeClass) && SubmittableArguments.From(new[] { attribute }).Name is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary><c>Pipelines.SubmittableAttribute</c>, by name: no display string is printed.</summary>
    internal static bool IsSubmittableAttribute(INamedTypeSymbol? type) =>
        type is { Name: "SubmittableAttribute", ContainingType: null, ContainingNamespace: { Name: "Pipelines", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>True for types that cannot be a field of a heap object: ref structs, pointers, function pointers.</summary>
    public static bool CannotBeStored(ITypeSymbol type) =>
        type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer;

    /// <summary>
    /// Why a parameter or result of <paramref name="type"/> has no stubs, as PIPE0102's message continues it, or null: a
    /// ref struct or pointer cannot be stored, and a type that mentions a pointer anywhere (<c>int*[]</c>,
    /// <c>List&lt;delegate*&lt;int, int&gt;[]&gt;</c>) can be named only in an unsafe context, which generated code is not.
    /// </summary>
    private static string? UnstorableType(ITypeSymbol type)
    {
        if (CannotBeStored(type))
        {
            return $"uses '{type.ToDisplayString()}', which cannot live on the heap (a ref struct or pointer); take an array, ReadOnlyMemory<T> or string instead";
        }

        return MentionsPointer(type)
            ? $"uses '{type.ToDisplayString()}', which mentions a pointer type and so can only be named in unsafe code; take nint values or an array of them instead"
            : null;
    }

    private static bool MentionsPointer(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer } => true,
        IArrayTypeSymbol array => MentionsPointer(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(MentionsPointer),
        _ => false,
    };

    private static bool IsAssemblyVisible(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static string Describe(TypeKind kind) => kind switch
    {
        TypeKind.Class => "class",
        TypeKind.Struct => "struct",
        TypeKind.Interface => "interface",
        TypeKind.Enum => "enum",
        TypeKind.Delegate => "delegate",
        _ => "type",
    };

    private static string Describe(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };

    private static bool IsFileLocal(this INamedTypeSymbol type)
    {
        // ITypeSymbol.IsFileLocal arrived after Roslyn 4.8's public surface on some paths; the declaration syntax tells.
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What a [Submittable] attribute says: the stub name and the call policies (unset: null, 0 and empty).</summary>
/// <param name="Name">The explicit stub name, or null.</param>
/// <param name="Retries">Reruns after a throw; validated by <see cref="SubmittableRules.FindViolation(IMethodSymbol)"/>.</param>
/// <param name="TimeoutMilliseconds">The call's time limit, 0 for none; validated likewise.</param>
/// <param name="RetryOn">The exception types a rerun is for (the attribute's <c>typeof</c> constants); default when not set. Read while parsing, never cached.</param>
/// <param name="Label">The call's label template (<c>{parameter}</c> placeholders), or null for the default; validated likewise.</param>
internal readonly record struct SubmittableArguments(string? Name, int Retries, int TimeoutMilliseconds, ImmutableArray<TypedConstant> RetryOn = default, string? Label = null)
{
    /// <summary>Reads the named arguments of attributes already known to be [Submittable].</summary>
    public static SubmittableArguments From(IEnumerable<AttributeData> submittableAttributes)
    {
        string? name = null;
        int retries = 0;
        int timeout = 0;
        ImmutableArray<TypedConstant> retryOn = default;
        string? label = null;
        foreach (AttributeData attribute in submittableAttributes)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "Name" when argument.Value.Value is string value:
                        name ??= value;
                        break;
                    case "Retries" when argument.Value.Value is int value:
                        retries = value;
                        break;
                    case "TimeoutMilliseconds" when argument.Value.Value is int value:
                        timeout = value;
                        break;
                    case "RetryOn" when argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull:
                        retryOn = argument.Value.Values;
                        break;
                    case "Label" when argument.Value.Value is string value:
                        label = value;
                        break;
                }
            }
        }

        return new SubmittableArguments(name, retries, timeout, retryOn, label);
    }

    /// <summary>The <c>RetryOn</c> types as the generated call names them; empty when any retryable exception reruns.</summary>
    public EquatableArray<string> RetryOnTypeNames() => RetryOn.IsDefaultOrEmpty
        ? default
        : RetryOn.Select(t => ((ITypeSymbol)t.Value!).ToDisplayString(SubmittableParser.TypeOfFormat)).Distinct().ToEquatableArray();
}
