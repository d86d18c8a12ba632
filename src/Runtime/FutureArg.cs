using System;

namespace Pipelines;

/// <summary>
/// A stub argument that accepts only a <see cref="Future{T}"/>. Generated stubs use it beside a plain overload
/// for parameters of interface type, because C# allows no user-defined conversion from an interface — so
/// <see cref="FutureOr{T}"/> cannot take an interface-typed value — and because a struct, unlike
/// <see cref="Future{T}"/> itself, keeps a <see langword="null"/> literal from being ambiguous between the two.
/// </summary>
/// <typeparam name="T">The parameter type of the submitted method.</typeparam>
public readonly struct FutureArg<T>
{
    internal FutureArg(Future<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        _future = future;
    }

    private readonly Future<T>? _future;

    /// <summary>The future.</summary>
    /// <exception cref="InvalidOperationException">This is <see langword="default"/>, not made from a future.</exception>
    public Future<T> Future => _future ?? throw new InvalidOperationException("A FutureArg must be made from a future.");

    /// <summary>The argument as a <see cref="FutureOr{T}"/>.</summary>
    public FutureOr<T> AsFutureOr() => FutureOr<T>.FromFuture(Future);
}
