using Pipelines.Generator.Helpers;

namespace Pipelines.Generator.Models;

/// <summary>One generated stubs class, declared once with its docs; every method's file adds a partial part.</summary>
/// <param name="Namespace">The namespace of the methods' types, or empty for the global namespace.</param>
/// <param name="Name">The class name: <c>{Outer_Type}Stubs</c>.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>: public when any of its types is.</param>
/// <param name="TypeDocumentationIds">
/// The documentation IDs of the types whose stubs it holds, for the class's docs: one, or several when nested types
/// flatten to one name (<c>Outer.Inner</c> and <c>Outer_Inner</c>).
/// </param>
/// <param name="HintName">The generated file's name (<see cref="OutputNames"/> keeps it unique).</param>
internal sealed record StubsClass(string Namespace, string Name, string Accessibility, EquatableArray<string> TypeDocumentationIds, string HintName)
{
    /// <summary>The file name a stubs class gets unless another file's name clashes with it.</summary>
    public static string ReadableHintName(string ns, string name) => $"{(ns.Length == 0 ? string.Empty : HintSafe(ns) + ".")}{name}.g.cs";

    /// <summary>A name as a file name: without the '@' that escapes a keyword.</summary>
    public static string HintSafe(string name) => name.Replace("@", string.Empty);
}
