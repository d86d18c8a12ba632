using System;

namespace Pipelines;

/// <summary>
/// A stub argument that is either a plain <typeparamref name="T"/> or a <see cref="Future{T}"/> of one. Both
/// convert implicitly, so a caller writes <c>executor.SubmitAdd(a, 10)</c> with <c>a</c> a future. The conversion
/// from a future is declared on <see cref="Future{T}"/> so that a <see langword="null"/> literal is
/// unambiguously a plain value.
/// </summary>
/// <remarks>
/// Two fields, so <c>FutureOr&lt;int&gt;</c> and <c>FutureOr&lt;long&gt;</c> take 16 bytes in a call object: the value, and
/// a future field that also says which case this is — <see langword="null"/> for <see langword="default"/> (an
/// optional argument left out), a private sentinel for a plain value, otherwise the argument's future.
/// </remarks>
/// <typeparam name="T">The parameter type of the submitted method.</typeparam>
public readonly struct FutureOr<T>
{
    /// <summary>Marks a plain value. Never completed by anyone, never handed out.</summary>
    private static readonly Future<T> s_plainValue = new(FutureState.Cancelled, null);

    private readonly T _value;
    private readonly Future<T>? _future;

    private FutureOr(T value, Future<T> future)
    {
        _value = value;
        _future = future;
    }

    /// <summary>The future, when this argument is one; otherwise <see langword="null"/>.</summary>
    public Future<T>? Future => ReferenceEquals(_future, s_plainValue) ? null : _future;

    /// <summary>True when this argument is a future rather than a plain value.</summary>
    public bool IsFuture => _future is not null && !ReferenceEquals(_future, s_plainValue);

    /// <summary>False only for <see langword="default"/>: an optional stub parameter the caller left out.</summary>
    public bool IsSpecified => _future is not null;

    /// <summary>A plain value.</summary>
    public static FutureOr<T> FromValue(T value) => new(value, s_plainValue);

    /// <summary>A future whose result becomes the argument when it completes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static FutureOr<T> FromFuture(Future<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return new(default!, future);
    }

    /// <summary>
    /// The plain value, or the result of the future — which must have succeeded by now; <see langword="default"/> for
    /// an argument left out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The argument is a future that has not succeeded.</exception>
    public T GetResult()
    {
        Future<T>? future = _future;
        if (future is null || ReferenceEquals(future, s_plainValue))
        {
            return _value;
        }

        return future.State == FutureState.Succeeded
            ? future.ResultIfSucceeded
            : throw new InvalidOperationException("The argument future has not succeeded yet.");
    }

    /// <summary>Wraps a plain value.</summary>
    public static implicit operator FutureOr<T>(T value) => new(value, s_plainValue);
}
