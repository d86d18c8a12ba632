namespace Pipelines.Generator.Models;

/// <summary>How a method parameter appears in the stubs.</summary>
internal enum ParameterKind
{
    /// <summary>One stub parameter of type <c>FutureOr&lt;T&gt;</c>: a value or a future, by implicit conversion.</summary>
    FutureOr,

    /// <summary>
    /// Interface or delegate type: C# allows no user-defined conversion from an interface, nor from a lambda or method
    /// group (they have no type), so the stubs come in two overloads, the plain type and <c>FutureArg&lt;T&gt;</c>.
    /// </summary>
    InterfacePair,

    /// <summary>
    /// Mentions a method type parameter: type inference ignores user-defined conversions, so the stubs come in two
    /// overloads, <c>T</c> and <c>Future&lt;T&gt;</c>, from which <c>T</c> is inferred.
    /// </summary>
    GenericPair,

    /// <summary>Not in the stub: the runtime passes the call's own token.</summary>
    CancellationToken,
}
