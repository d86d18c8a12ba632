using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipelines.Generator.Helpers;

/// <summary>
/// What <c>[Obsolete]</c> and <c>[Experimental]</c> on a [Submittable] method, its types and its signature mean for the
/// generated code. The stubs carry the method's own (or its type's) attributes, so calling a stub warns or fails exactly
/// as calling the method does; the call class is marked <c>[Obsolete]</c> when they are, because inside an obsolete
/// declaration the compiler reports no obsolete use (not even <c>[Obsolete(…, true)]</c>, which no pragma can silence);
/// and the experimental IDs, and the obsolete types the signature merely mentions, are silenced in the generated file,
/// where the user's own declaration has already been warned about them.
/// </summary>
/// <param name="StubAttributes">Attributes to put on every stub, as C#.</param>
/// <param name="IsObsolete">The stubs are obsolete: the call class is marked so too.</param>
/// <param name="SuppressedWarnings">Diagnostic IDs for a <c>#pragma warning disable</c> at the top of the method's file.</param>
internal sealed record Deprecation(EquatableArray<string> StubAttributes, bool IsObsolete, EquatableArray<string> SuppressedWarnings)
{
    private static readonly ConditionalWeakTable<ISymbol, Marks> s_marks = new();
    private static readonly ConditionalWeakTable<ISymbol, Marks>.CreateValueCallback s_read = static symbol => Marks.Read(symbol);

    /// <summary>Nothing obsolete or experimental anywhere: the common case, and the model's default.</summary>
    public static Deprecation None { get; } = new(EquatableArray<string>.Empty, false, EquatableArray<string>.Empty);

    public static Deprecation Of(IMethodSymbol method)
    {
        // The nearest mark wins, the method's own first, then its type's, then the types around that. The method's
        // attributes are the ones the generator's attribute lookup has already read.
        AttributeData? obsolete = null;
        AttributeData? experimental = null;
        SortedSet<string>? suppressed = null;
        for (ISymbol? symbol = method; symbol is not null; symbol = symbol.ContainingType)
        {
            Marks marks = symbol is IMethodSymbol ? Marks.Read(symbol) : MarksOf(symbol);
            obsolete ??= marks.Obsolete;
            experimental ??= marks.Experimental;
            if (marks.Experimental is not null)
            {
                (suppressed ??= new SortedSet<string>(System.StringComparer.Ordinal)).Add(marks.ExperimentalId!);
            }
        }

        // Types the signature mentions: the user's declaration has been told about them already.
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            AddMentioned(parameter.Type, obsolete is not null, ref suppressed);
        }

        AddMentioned(method.ReturnType, obsolete is not null, ref suppressed);
        foreach (ITypeParameterSymbol typeParameter in method.TypeParameters)
        {
            foreach (ITypeSymbol constraint in typeParameter.ConstraintTypes)
            {
                AddMentioned(constraint, obsolete is not null, ref suppressed);
            }
        }

        if (obsolete is null && experimental is null && suppressed is null)
        {
            return None;
        }

        var attributes = new List<string>();
        if (obsolete is not null)
        {
            attributes.Add(Print(obsolete));
        }

        if (experimental is not null)
        {
            attributes.Add(Print(experimental));
        }

        return new Deprecation(attributes.ToEquatableArray(), obsolete is not null, (suppressed ?? new SortedSet<string>()).ToEquatableArray());
    }

    private static void AddMentioned(ITypeSymbol type, bool inObsoleteContext, ref SortedSet<string>? suppressed)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                AddMentioned(array.ElementType, inObsoleteContext, ref suppressed);
                return;
            case INamedTypeSymbol named:
                // Special types (int, string, Task…) are the BCL's and never obsolete; most signatures have nothing else.
                for (INamedTypeSymbol? t = named; t is not null && t.SpecialType == SpecialType.None; t = t.ContainingType)
                {
                    Marks marks = MarksOf(t.OriginalDefinition);
                    if (marks.Obsolete is not null && !inObsoleteContext)
                    {
                        (suppressed ??= new SortedSet<string>(System.StringComparer.Ordinal)).Add(marks.ObsoleteId!);
                    }

                    if (marks.Experimental is not null)
                    {
                        (suppressed ??= new SortedSet<string>(System.StringComparer.Ordinal)).Add(marks.ExperimentalId!);
                    }
                }

                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    AddMentioned(argument, inObsoleteContext, ref suppressed);
                }

                return;
        }
    }

    private static Marks MarksOf(ISymbol symbol) => s_marks.GetValue(symbol, s_read);

    /// <summary>The attribute as C#, its arguments as the user gave them: <c>[global::System.Obsolete("Use X.", true)]</c>.</summary>
    private static string Print(AttributeData attribute)
    {
        IEnumerable<string> arguments = attribute.ConstructorArguments.Select(a => a.ToCSharpString())
            .Concat(attribute.NamedArguments.Select(a => $"{a.Key} = {a.Value.ToCSharpString()}"));
        string name = attribute.AttributeClass!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return $"[{name.Substring(0, name.Length - "Attribute".Length)}({string.Join(", ", arguments)})]";
    }

    /// <summary>A symbol's own <c>[Obsolete]</c> and <c>[Experimental]</c>, read once per symbol.</summary>
    private sealed class Marks
    {
        private const string ObsoleteName = "Obsolete";
        private const string ExperimentalName = "Experimental";

        /// <summary>No mark: shared, as almost every symbol has none.</summary>
        private static readonly Marks Unmarked = new();

        public AttributeData? Obsolete { get; private set; }

        public AttributeData? Experimental { get; private set; }

        /// <summary>What the compiler reports a use of an obsolete symbol as: its DiagnosticId, CS0618 with a message, CS0612 without.</summary>
        public string? ObsoleteId { get; private set; }

        public string? ExperimentalId { get; private set; }

        public static Marks Read(ISymbol symbol)
        {
            Marks? marks = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                // By name, not by printing the class: this runs for every [Submittable] method after every edit.
                string? name = attribute.AttributeClass switch
                {
                    { Name: "ObsoleteAttribute", ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => ObsoleteName,
                    { Name: "ExperimentalAttribute", ContainingType: null, ContainingNamespace: { Name: "CodeAnalysis", ContainingNamespace: { Name: "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } => ExperimentalName,
                    _ => null,
                };
                if (name == ObsoleteName && marks?.Obsolete is null)
                {
                    marks ??= new Marks();
                    marks.Obsolete = attribute;
                    string? id = attribute.NamedArguments.FirstOrDefault(a => a.Key == "DiagnosticId").Value.Value as string;
                    marks.ObsoleteId = id ?? (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string ? "CS0618" : "CS0612");
                }
                else if (name == ExperimentalName && marks?.Experimental is null
                    && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } experimentalId)
                {
                    marks ??= new Marks();
                    marks.Experimental = attribute;
                    marks.ExperimentalId = experimentalId;
                }
            }

            return marks ?? Unmarked;
        }
    }
}
