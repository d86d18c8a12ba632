namespace Pipelines.Generator.Models;

/// <summary>One generated stubs class, declared once with its docs; every method's file adds a partial part.</summary>
/// <param name="Namespace">The namespace of the methods' type, or empty for the global namespace.</param>
/// <param name="Name">The class name: <c>{Outer_Type}Stubs</c>.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>.</param>
/// <param name="TypeDocumentationId">The methods' type's documentation ID, for the class's docs.</param>
internal sealed record StubsClass(string Namespace, string Name, string Accessibility, string TypeDocumentationId)
{
    /// <summary>The generated file's name.</summary>
    public string HintName => $"{(Namespace.Length == 0 ? string.Empty : Namespace + ".")}{Name}.g.cs";
}
