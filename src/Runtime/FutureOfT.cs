using System;
using System.ComponentModel;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// One submitted call that produces a <typeparamref name="T"/> (Python's <c>Future</c>). Pass it straight
/// to a generated <c>Submit…</c> stub as an argument: the call runs when it completes, and no thread waits.
/// </summary>
/// <typeparam name="T">The call's result.</typeparam>
public partial class Future<T> : Future
{
    private T _result = default!;

    private protected Future(Executor? executor)
        : base(executor)
    {
    }

    internal Future(T result)
        : base(FutureState.Succeeded, null) => _result = result;

    internal Future(FutureState terminalState, FutureException? exception)
        : base(terminalState, exception)
    {
    }

    /// <summary>
    /// The call's result (Python's <c>result(timeout)</c>): waits for it, then returns it or rethrows the call's
    /// exception — the original instance, with its original stack trace. On a worker of the future's own pool,
    /// the worker runs queued work (this future first) while it waits, instead of deadlocking.
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits forever.</param>
    /// <exception cref="TimeoutException">The future is not done within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The future was cancelled.</exception>
    public T GetResult(TimeSpan? timeout = null)
    {
        WaitOrThrowTimeout(timeout);
        ThrowIfNotSucceeded();
        return ReadResult();
    }

    /// <summary>The result of a future known to have succeeded (generated code reads arguments this way).</summary>
    internal T ResultIfSucceeded => ReadResult();

    /// <summary>
    /// Adds a callback that runs once when the future is done; at once if it already is. See
    /// <see cref="Future.OnDone(Action{Future})"/> for ordering and how a throwing callback is reported.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    public void OnDone(Action<Future<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        MarkExceptionObserved();
        AddContinuation(callback);
    }

    /// <inheritdoc cref="Future.CancelAfter(TimeSpan)"/>
    public new Future<T> CancelAfter(TimeSpan delay)
    {
        base.CancelAfter(delay);
        return this;
    }

    /// <summary>A task that completes when this future does, with the same result, exception or cancellation.</summary>
    public new Task<T> AsTask() => (Task<T>)GetOrCreateTask();

    /// <summary>Makes the future awaitable: <c>int x = await future;</c>. See <see cref="Future.GetAwaiter"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public new FutureAwaiter<T> GetAwaiter() => new(this, continueOnCapturedContext: true);

    /// <summary>Configures how an await on this future resumes, as <see cref="Task{TResult}.ConfigureAwait(bool)"/> does.</summary>
    public new ConfiguredFutureAwaitable<T> ConfigureAwait(bool continueOnCapturedContext) => new(this, continueOnCapturedContext);

    /// <summary>Lets a future be passed where a generated stub takes a value or a future.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static implicit operator FutureOr<T>(Future<T> future) => FutureOr<T>.FromFuture(future);

    /// <summary>Lets a future be passed where a generated stub takes only a future (interface-typed parameters).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static implicit operator FutureArg<T>(Future<T> future) => new(future);

    /// <summary>Succeeds a running call with <paramref name="result"/>; false if it was no longer running.</summary>
    private protected bool CompleteRunningWith(T result)
    {
        if (!TryBeginCompletion(FutureState.Running))
        {
            return false;
        }

        // Written by the one thread that won the completion, before the terminal state is published; read only after it.
        _result = result;
        EndCompletion(FutureState.Running, FutureState.Succeeded, null);
        return true;
    }

    /// <summary>Succeeds a future that is not a call (a combinator's), straight from Pending.</summary>
    private protected bool TryCompletePendingWith(T result)
    {
        if (!TryBeginCompletion(FutureState.Pending))
        {
            return false;
        }

        _result = result;
        EndCompletion(FutureState.Pending, FutureState.Succeeded, null);
        return true;
    }

    /// <summary>Succeeds a running call whose value stays where it was computed until first read (<see cref="Remoting.IRemoteWorkItem.SetResultFetchedOnRead"/>).</summary>
    private protected void CompleteRunningWithDeferred(Func<T> fetch)
    {
        if (TryBeginCompletion(FutureState.Running))
        {
            SetDeferredResult(new DeferredResult(fetch));
            EndCompletion(FutureState.Running, FutureState.Succeeded, null);
        }
    }

    private T ReadResult() => DeferredResultOrNull is DeferredResult deferred ? deferred.Get(ref _result) : _result;

    private protected override void InvokeTypedCallback(object callback) => ((Action<Future<T>>)callback)(this);

    private protected override Task CreateTask()
    {
        var source = new TaskSource(this);
        AddContinuation(source);
        return source.Task;
    }

    /// <summary>A result fetched on first read; a failed fetch throws to that reader and is tried again by the next.</summary>
    private sealed class DeferredResult(Func<T> fetch)
    {
        private Func<T>? _fetch = fetch;

        public T Get(ref T slot)
        {
            lock (this)
            {
                if (_fetch is { } fetch)
                {
                    slot = fetch();
                    _fetch = null;
                }

                return slot;
            }
        }
    }

    /// <summary>Completes a task from the future; continuations run asynchronously so awaiters never hijack a worker.</summary>
    private sealed class TaskSource(Future<T> future) : TaskCompletionSource<T>(future, TaskCreationOptions.RunContinuationsAsynchronously), IFutureContinuation
    {
        public void OnFutureCompleted(Future completed)
        {
            switch (completed.State)
            {
                case FutureState.Succeeded:
                    try
                    {
                        TrySetResult(((Future<T>)completed).ReadResult());
                    }
                    catch (Exception ex)
                    {
                        TrySetException(ex); // a result fetched on first read could not be fetched
                    }

                    break;
                case FutureState.Faulted:
                    TrySetException(completed.ExceptionHolder!.Exception);
                    break;
                default:
                    TrySetCanceled();
                    break;
            }
        }
    }
}
