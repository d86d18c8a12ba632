using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// One submitted call that produces a <typeparamref name="T"/> (Python's <c>Future</c>). Pass it straight
/// to a generated <c>Submit…</c> stub as an argument: the call runs when it completes, and no thread waits.
/// </summary>
/// <typeparam name="T">The call's result.</typeparam>
public class Future<T> : Future
{
    private T _result = default!;

    private protected Future(Executor? executor)
        : base(executor)
    {
    }

    internal Future(T result)
        : base(FutureState.Succeeded, null) => _result = result;

    internal Future(FutureState terminalState, ExceptionDispatchInfo? exception)
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
        return _result;
    }

    /// <summary>The result of a future known to have succeeded (generated code reads arguments this way).</summary>
    internal T ResultIfSucceeded => _result;

    /// <summary>
    /// Adds a callback that runs once when the future is done; at once if it already is. See
    /// <see cref="Future.OnDone(Action{Future})"/> for ordering and how a throwing callback is reported.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    public void OnDone(Action<Future<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddContinuation(callback);
    }

    /// <summary>A task that completes when this future does, with the same result, exception or cancellation.</summary>
    public new Task<T> AsTask() => (Task<T>)GetOrCreateTask();

    /// <summary>Makes the future awaitable: <c>int x = await future;</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public new TaskAwaiter<T> GetAwaiter() => AsTask().GetAwaiter();

    /// <summary>Configures how an await on this future resumes, as <see cref="Task{TResult}.ConfigureAwait(bool)"/> does.</summary>
    public new ConfiguredTaskAwaitable<T> ConfigureAwait(bool continueOnCapturedContext) => AsTask().ConfigureAwait(continueOnCapturedContext);

    /// <summary>Lets a future be passed where a generated stub takes a value or a future.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static implicit operator FutureOr<T>(Future<T> future) => FutureOr<T>.FromFuture(future);

    /// <summary>Lets a future be passed where a generated stub takes only a future (interface-typed parameters).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    public static implicit operator FutureArg<T>(Future<T> future) => new(future);

    private protected void CompleteRunningWith(T result)
    {
        _result = result;
        TryComplete(FutureState.Running, FutureState.Succeeded, null);
    }

    private protected override void InvokeTypedCallback(object callback) => ((Action<Future<T>>)callback)(this);

    private protected override Task CreateTask()
    {
        var source = new TaskSource(this);
        AddContinuation(source);
        return source.Task;
    }

    /// <summary>Completes a task from the future; continuations run asynchronously so awaiters never hijack a worker.</summary>
    private sealed class TaskSource(Future<T> future) : TaskCompletionSource<T>(future, TaskCreationOptions.RunContinuationsAsynchronously), IFutureContinuation
    {
        public void OnFutureCompleted(Future completed)
        {
            switch (completed.State)
            {
                case FutureState.Succeeded:
                    TrySetResult(((Future<T>)completed)._result);
                    break;
                case FutureState.Faulted:
                    TrySetException(completed.ExceptionInfo!.SourceException);
                    break;
                default:
                    TrySetCanceled();
                    break;
            }
        }
    }
}
