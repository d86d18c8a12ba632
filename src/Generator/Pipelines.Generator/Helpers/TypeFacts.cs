using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Helpers;

/// <summary>
/// What the parser needs of a containing type, worked out once per type rather than once per method (a type holds many
/// [Submittable] methods): its printed name, namespace, stubs-class name, accessibility, documentation ID and the rule
/// it breaks, if any.
/// </summary>
/// <remarks>
/// Kept in a <see cref="ConditionalWeakTable{TKey, TValue}"/> keyed by the type symbol, which belongs to one compilation:
/// an entry lives exactly as long as that compilation's symbols and is never seen by a run over another compilation
/// (a new compilation has new symbols), so no state carries from one run to the next. The transform reruns for every
/// [Submittable] method after every edit; with this, the per-type work (printing the name, walking the containing types)
/// runs once per type instead (20 times instead of 1,000 in the generator benchmark's 1,000 methods, 50 per type).
/// </remarks>
internal sealed class TypeFacts
{
    private static readonly ConditionalWeakTable<INamedTypeSymbol, TypeFacts> s_facts = new();
    private static readonly ConditionalWeakTable<INamedTypeSymbol, TypeFacts>.CreateValueCallback s_create = static type => new TypeFacts(type);

    private TypeFacts(INamedTypeSymbol type)
    {
        Display = type.ToDisplayString(SubmittableParser.TypeFormat);
        Namespace = SubmittableRules.NamespaceOf(type);
        FlatName = SubmittableRules.FlatName(type);
        StubsClassName = FlatName + "Stubs";
        HintPrefix = (Namespace.Length == 0 ? string.Empty : Models.StubsClass.HintSafe(Namespace) + ".") + FlatName + ".";
        IsPublicChain = PublicChain(type);
        DocumentationId = type.GetDocumentationCommentId() ?? string.Empty;
        Violation = SubmittableRules.TypeViolation(type);
    }

    /// <summary>Fully qualified, as <see cref="SubmittableParser.TypeFormat"/> prints it.</summary>
    public string Display { get; }

    /// <summary>The containing namespace as code names it (keywords escaped), or empty for the global namespace.</summary>
    public string Namespace { get; }

    /// <summary>Containing types joined by '_', so nested <c>Outer.Jobs</c> gets <c>Outer_Jobs</c>.</summary>
    public string FlatName { get; }

    /// <summary>The stubs class of the type's methods: <c>{FlatName}Stubs</c>.</summary>
    public string StubsClassName { get; }

    /// <summary>What every method's hint name starts with: the namespace as a file name, then <see cref="FlatName"/>, each followed by '.'.</summary>
    public string HintPrefix { get; }

    /// <summary>The type and every type around it are public.</summary>
    public bool IsPublicChain { get; }

    /// <summary>The type's documentation ID.</summary>
    public string DocumentationId { get; }

    /// <summary><see cref="SubmittableRules.TypeViolation"/> of the type.</summary>
    public (DiagnosticDescriptor? Descriptor, string Detail) Violation { get; }

    public static TypeFacts Of(INamedTypeSymbol type) => s_facts.GetValue(type, s_create);

    private static bool PublicChain(INamedTypeSymbol type)
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
}
