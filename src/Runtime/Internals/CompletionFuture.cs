using System;

namespace Pipelines.Internals;

/// <summary>
/// A future completed by the runtime's combinators rather than by a call (it has no executor): <see cref="Futures.Any{T}"/>.
/// Each <c>TrySet…</c> succeeds once; later ones return false.
/// </summary>
/// <typeparam name="T">The result.</typeparam>
internal sealed class CompletionFuture<T> : Future<T>
{
    public CompletionFuture()
        : base(executor: null)
    {
    }

    public bool TrySetResult(T result) => TryCompletePendingWith(result);

    public bool TrySetException(Exception exception) =>
        TryComplete(FutureState.Pending, FutureState.Faulted, FutureException.Capture(exception, observed: false));

    public bool TrySetCanceled() => TryComplete(FutureState.Pending, FutureState.Cancelled, null);
}
