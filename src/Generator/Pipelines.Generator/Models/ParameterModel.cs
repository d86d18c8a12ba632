namespace Pipelines.Generator.Models;

/// <summary>One parameter of a [Submittable] method, as text.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> where it is a keyword.</param>
/// <param name="Type">Fully qualified, with nullable annotations.</param>
/// <param name="Kind">How the parameter appears in the stubs.</param>
/// <param name="DefaultValue">
/// The default as a constant C# expression convertible to <paramref name="Type"/> (usable as a parameter default), or
/// null when the parameter is required.
/// </param>
/// <param name="Documentation">The inner XML of its <c>&lt;param&gt;</c> tag, or null.</param>
/// <param name="TypeOfType"><paramref name="Type"/> without nullable reference annotations, as <c>typeof</c> needs it.</param>
/// <param name="IsParams">Declared <c>params</c>: the plain-values stub keeps <c>params</c>.</param>
/// <param name="IsNullableReference">
/// A reference type annotated <c>?</c> at the top: its future-taking stub parameter is declared nullable-oblivious, so a
/// future of the type with or without <c>?</c> passes without a nullability warning.
/// </param>
/// <param name="HasPlainForm">
/// The plain-values stub may declare it as its own type. False for <c>object</c> and <c>dynamic</c>: a future converts to
/// them, and would be taken as the value instead of being awaited.
/// </param>
/// <param name="Collection">Whether the stubs also take futures of its elements, and how they are gathered.</param>
/// <param name="CollectionElement">The element type, fully qualified, when <paramref name="Collection"/> is set.</param>
/// <param name="CallerAttributes">
/// <c>[CallerMemberName]</c>, <c>[CallerLineNumber]</c> and <c>[CallerFilePath]</c> as C#, or null: repeated on the stubs'
/// parameter, which is then always a plain value, so the compiler fills it in where the stub is called.
/// </param>
/// <param name="CallerArgumentExpression">The parameter named by its <c>[CallerArgumentExpression]</c>, unescaped, or null.</param>
/// <param name="NullState">
/// <c>[AllowNull]</c> or <c>[DisallowNull]</c>, or null: repeated where the stubs declare the parameter as its own type, so
/// a stub's caller may or may not pass null exactly as the method's may, and honoured in the generated call.
/// </param>
internal sealed record ParameterModel(
    string Name,
    string Type,
    ParameterKind Kind,
    string? DefaultValue,
    string? Documentation,
    string TypeOfType,
    bool IsParams = false,
    bool IsNullableReference = false,
    bool HasPlainForm = true,
    CollectionKind Collection = CollectionKind.None,
    string? CollectionElement = null,
    string? CallerAttributes = null,
    string? CallerArgumentExpression = null,
    NullState? NullState = null)
{
    /// <summary>Has a default: the caller may leave it out.</summary>
    public bool IsOptional => DefaultValue is not null;

    /// <summary>Filled in by the compiler where it is left out: always a plain value in the stubs, never a pair or a future.</summary>
    public bool IsCallerInfo => CallerAttributes is not null || CallerArgumentExpression is not null;

    /// <summary>A stub parameter; false for CancellationToken parameters, which the runtime fills in.</summary>
    public bool IsInStub => Kind != ParameterKind.CancellationToken;
}

/// <summary>What <c>[AllowNull]</c>/<c>[DisallowNull]</c> on a parameter says of null, against its type's annotation.</summary>
internal enum NullState
{
    /// <summary><c>[AllowNull]</c>: null may be passed, whatever the type says.</summary>
    Allowed,

    /// <summary><c>[DisallowNull]</c>: null may not be passed, whatever the type says.</summary>
    Disallowed,
}
