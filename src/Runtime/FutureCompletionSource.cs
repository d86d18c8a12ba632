using System;
using System.Threading;

namespace Pipelines;

/// <summary>
/// A future you complete yourself, as <see cref="System.Threading.Tasks.TaskCompletionSource{TResult}"/> is a task you
/// complete yourself: the executor author's side of Python's <c>Future</c> (<c>set_result</c>, <c>set_exception</c>,
/// <c>set_running_or_notify_cancel</c>). Its <see cref="Future"/> passes to stubs, <c>Then</c>, waits and
/// <c>await</c> like any other; it has no executor.
/// </summary>
/// <remarks>
/// Each <c>TrySet…</c> that ends the future succeeds once, from Pending or Running; every later one returns false —
/// when several threads race, exactly one wins. <see cref="Future{T}"/>'s <see cref="Pipelines.Future.Cancel"/> cancels a
/// future that is still Pending (a <see cref="TrySetRunning"/> after it returns false, as Python's
/// <c>set_running_or_notify_cancel</c> does); on a Running one it signals <see cref="CancellationToken"/> instead, and
/// the producer decides (<see cref="TrySetCancelled"/>, or finish anyway).
/// </remarks>
/// <typeparam name="T">The result.</typeparam>
public sealed class FutureCompletionSource<T>
{
    private readonly SourceFuture _future = new();

    /// <summary>Creates a source whose future is Pending.</summary>
    public FutureCompletionSource()
    {
    }

    /// <summary>The future this source completes.</summary>
    public Future<T> Future => _future;

    /// <summary>
    /// Fires when the future is cancelled while Running (<see cref="Pipelines.Future.Cancel"/> on it): the producer should
    /// stop and call <see cref="TrySetCancelled"/>.
    /// </summary>
    public CancellationToken CancellationToken => _future.Token;

    /// <summary>
    /// Marks the future Running (Python's <c>set_running_or_notify_cancel</c>): true if it was Pending; false if it was
    /// cancelled meanwhile (the work should not start), or is already running or done.
    /// </summary>
    public bool TrySetRunning() => _future.TrySetRunning();

    /// <summary>Succeeds the future with <paramref name="result"/>; false if it is already done.</summary>
    public bool TrySetResult(T result) => _future.TrySetResult(result);

    /// <summary>Faults the future with <paramref name="exception"/> (rethrown with its stack by <c>GetResult</c> and <c>await</c>); false if it is already done.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public bool TrySetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return _future.TrySetException(exception);
    }

    /// <summary>Cancels the future, Pending or Running; false if it is already done.</summary>
    public bool TrySetCancelled() => _future.TrySetCancelled();

    /// <summary>Succeeds the future with <paramref name="result"/>.</summary>
    /// <exception cref="InvalidOperationException">The future is already done.</exception>
    public void SetResult(T result) => Ensure(TrySetResult(result));

    /// <summary>Faults the future with <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The future is already done.</exception>
    public void SetException(Exception exception) => Ensure(TrySetException(exception));

    /// <summary>Cancels the future.</summary>
    /// <exception cref="InvalidOperationException">The future is already done.</exception>
    public void SetCancelled() => Ensure(TrySetCancelled());

    /// <inheritdoc/>
    public override string ToString() => _future.ToString();

    private void Ensure(bool won)
    {
        if (!won)
        {
            throw new InvalidOperationException($"The future is already done ({_future.State}); a FutureCompletionSource completes it once.");
        }
    }

    private sealed class SourceFuture : Future<T>
    {
        public SourceFuture()
            : base(executor: null)
        {
        }

        public CancellationToken Token => GetCancellationToken();

        public bool TrySetRunning() => TryStart();

        public bool TrySetResult(T result) => TryCompletePendingWith(result) || CompleteRunningWith(result);

        public bool TrySetException(Exception exception) =>
            TryEnd(FutureState.Faulted, FutureException.Capture(exception, observed: false));

        public bool TrySetCancelled() => TryEnd(FutureState.Cancelled, null);

        private bool TryEnd(FutureState to, FutureException? exception) =>
            TryComplete(FutureState.Pending, to, exception) || TryComplete(FutureState.Running, to, exception);
    }
}
