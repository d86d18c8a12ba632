using System;

namespace Pipelines;

/// <summary>
/// A stub argument that is either a plain <typeparamref name="T"/> or a <see cref="Future{T}"/> of one. Both
/// convert implicitly, so a caller writes <c>executor.SubmitAdd(a, 10)</c> with <c>a</c> a future. The conversion
/// from a future is declared on <see cref="Future{T}"/> so that a <see langword="null"/> literal is
/// unambiguously a plain value.
/// </summary>
/// <typeparam name="T">The parameter type of the submitted method.</typeparam>
public readonly struct FutureOr<T>
{
    private readonly T _value;

    private FutureOr(T value, Future<T>? future)
    {
        _value = value;
        Future = future;
        IsSpecified = true;
    }

    /// <summary>The future, when this argument is one; otherwise <see langword="null"/>.</summary>
    public Future<T>? Future { get; }

    /// <summary>True when this argument is a future rather than a plain value.</summary>
    public bool IsFuture => Future is not null;

    /// <summary>False only for <see langword="default"/>: an optional stub parameter the caller left out.</summary>
    public bool IsSpecified { get; }

    /// <summary>A plain value.</summary>
    public static FutureOr<T> FromValue(T value) => new(value, null);

    /// <summary>A future whose result becomes the argument when it completes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static FutureOr<T> FromFuture(Future<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return new(default!, future);
    }

    /// <summary>The plain value, or the result of the future — which must have succeeded by now.</summary>
    /// <exception cref="InvalidOperationException">The argument is a future that has not succeeded.</exception>
    public T GetResult()
    {
        if (Future is null)
        {
            return _value;
        }

        return Future.State == FutureState.Succeeded
            ? Future.ResultIfSucceeded
            : throw new InvalidOperationException("The argument future has not succeeded yet.");
    }

    /// <summary>Wraps a plain value.</summary>
    public static implicit operator FutureOr<T>(T value) => new(value, null);
}
