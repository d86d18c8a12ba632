using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Diagnostics;

/// <summary>The PIPE01xx rules for [Submittable] signatures the generator cannot turn into stubs.</summary>
internal static class SubmittableDescriptors
{
    public const string Category = "Pipelines.Usage";

    public const string ByReferenceId = "PIPE0101";
    public const string RefLikeTypeId = "PIPE0102";
    public const string InaccessibleId = "PIPE0103";
    public const string StubCollisionId = "PIPE0104";
    public const string AsyncVoidId = "PIPE0105";
    public const string UnsupportedDeclarationId = "PIPE0106";

    public static readonly DiagnosticDescriptor ByReference = Create(
        ByReferenceId,
        "[Submittable] method passes data by reference",
        "[Submittable] method '{0}' {1}: a call on another thread cannot share the caller's variables; return the value instead (for several values, return a tuple or record)");

    public static readonly DiagnosticDescriptor RefLikeType = Create(
        RefLikeTypeId,
        "[Submittable] method uses a type that cannot be stored",
        "[Submittable] method '{0}' uses '{1}', which cannot live on the heap (a ref struct or pointer); take an array, ReadOnlyMemory<T> or string instead");

    public static readonly DiagnosticDescriptor Inaccessible = Create(
        InaccessibleId,
        "[Submittable] method is not accessible to its stubs",
        "[Submittable] method '{0}' is not accessible from the generated stubs: {1}; make it internal or public");

    public static readonly DiagnosticDescriptor StubCollision = Create(
        StubCollisionId,
        "Two [Submittable] methods produce the same stub",
        "[Submittable] methods '{0}' and '{1}' both produce 'Submit{2}' with the same parameters in namespace '{3}'; give one a different stub name with [Submittable(Name = \"...\")]",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor AsyncVoid = Create(
        AsyncVoidId,
        "[Submittable] method is async void",
        "[Submittable] method '{0}' is async void: its future would complete before its work and its exceptions would crash the process; return Task instead");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Create(
        UnsupportedDeclarationId,
        "[Submittable] is not supported here",
        "[Submittable] on '{0}' is not supported: {1}");

    private static DiagnosticDescriptor Create(string id, string title, string message, params string[] tags) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: $"https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/{id}.md",
        customTags: tags);
}
