namespace Pipelines.Generator.Models;

/// <summary>One generated stubs class, declared once with its docs; every method's file adds a partial part.</summary>
internal sealed record StubsClass(string Namespace, string Name, string Accessibility, string TypeDocumentationId)
{
    public string HintName => $"{(Namespace.Length == 0 ? string.Empty : Namespace + ".")}{Name}.g.cs";
}
