using Pipelines.Generator.Helpers;

namespace Pipelines.Generator.Models;

/// <summary>Everything the emitter needs about one [Submittable] method: strings, bools and enums only.</summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="StubsClassName">The static class that holds the stubs: <c>{Outer_Type}Stubs</c>.</param>
/// <param name="ClassAccessibility"><c>public</c> or <c>internal</c>, from the containing types.</param>
/// <param name="StubAccessibility"><c>public</c> or <c>internal</c>, from the method and its containing types.</param>
/// <param name="StubName">What follows <c>Submit</c>/<c>Then</c>.</param>
/// <param name="ContainingType">Fully qualified containing type (the static call target or the instance type).</param>
/// <param name="MethodName">The method's identifier, escaped with <c>@</c> where it is a keyword.</param>
/// <param name="MethodDocumentationId">The method's documentation ID (<c>M:N.C.M(System.Int32)</c>): crefs in the docs, <c>[StubFor]</c>, and its identity in process pools.</param>
/// <param name="IsStatic">False for instance methods: the stubs then take the instance as <c>target</c>.</param>
/// <param name="ReturnKind">What the method returns: the call class (sync or async) and the stub's future type follow from it.</param>
/// <param name="ResultType">Fully qualified result of the future (<c>T</c> of <c>Task&lt;T&gt;</c>), or the runtime's <c>VoidResult</c>.</param>
/// <param name="Parameters">In declaration order, CancellationToken parameters included (they are not in the stubs).</param>
/// <param name="TypeParameters">The method's type parameters.</param>
/// <param name="Summary">The inner XML of the method's <c>&lt;summary&gt;</c>, or null.</param>
/// <param name="OtherDocumentation">Its other doc elements (remarks, exceptions, examples), as XML, or null.</param>
/// <param name="CallClassName">The call class's name: unique within the stubs class once <see cref="OutputNames"/> has named it.</param>
/// <param name="HintName">The generated file's name: unique in the compilation once <see cref="OutputNames"/> has named it.</param>
/// <param name="CollisionKey">Equal for two methods whose stubs would have the same signature in one namespace.</param>
/// <param name="TypeDocumentationId">The containing type's documentation ID, for the stubs class's docs.</param>
/// <param name="ResultTypeOfType"><paramref name="ResultType"/> without nullable reference annotations, for <c>typeof</c>; empty for no result.</param>
/// <param name="MentionsDynamic">A parameter or the result mentions <c>dynamic</c>, which has no <c>typeof</c> (so no JSON metadata).</param>
/// <param name="Retries"><c>[Submittable(Retries = n)]</c>: overridden in the call class when above 0.</param>
/// <param name="TimeoutMilliseconds"><c>[Submittable(TimeoutMilliseconds = ms)]</c>: overridden in the call class when above 0.</param>
/// <param name="RetryOn"><c>[Submittable(RetryOn = …)]</c>: the exception types (for <c>is</c>) a rerun is for; empty for any.</param>
/// <param name="Deprecation">What <c>[Obsolete]</c>/<c>[Experimental]</c> on the method, its types and signature mean for the generated code; null for nothing.</param>
/// <param name="Label"><c>[Submittable(Label = "…")]</c>: the call's label template, or null for the default one.</param>
/// <param name="LabelParameter">The parameter (index into <paramref name="Parameters"/>) that labels the call by default, or -1.</param>
/// <param name="LabelInherits">True if that parameter is not of a simple type: the label is then only inherited from the call behind a future passed there.</param>
internal sealed record SubmittableMethod(
    string Namespace,
    string StubsClassName,
    string ClassAccessibility,
    string StubAccessibility,
    string StubName,
    string ContainingType,
    string MethodName,
    string MethodDocumentationId,
    bool IsStatic,
    ReturnKind ReturnKind,
    string ResultType,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<TypeParameterModel> TypeParameters,
    string? Summary,
    string? OtherDocumentation,
    string CallClassName,
    string HintName,
    string CollisionKey,
    string TypeDocumentationId,
    string ResultTypeOfType,
    bool MentionsDynamic,
    int Retries = 0,
    int TimeoutMilliseconds = 0,
    EquatableArray<string> RetryOn = default,
    Deprecation? Deprecation = null,
    string? Label = null,
    int LabelParameter = -1,
    bool LabelInherits = false)
{
    /// <summary>
    /// Static, non-generic methods can run in another process: they have an identity to look up there (and not
    /// <c>dynamic</c>, which has no <c>typeof</c>, so no JSON metadata either).
    /// </summary>
    public bool IsRemotable => IsStatic && TypeParameters.Count == 0 && !MentionsDynamic;

    /// <summary>The fully qualified stubs class, for the registration file.</summary>
    public string QualifiedStubsClass => (Namespace.Length == 0 ? "global::" : "global::" + Namespace + ".") + StubsClassName;
}
