using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// One submitted call whose result arrives later (Python's <c>concurrent.futures.Future</c>).
/// Calls without a result (<see langword="void"/>, <see cref="Task"/>, <see cref="ValueTask"/>) are a
/// <see cref="Future"/>; calls with one are a <see cref="Future{T}"/>.
/// </summary>
/// <remarks>
/// <para>The type is split by concept: this file holds the public surface and the fields;
/// <c>Future.State.cs</c> the state word and its transitions; <c>Future.Continuations.cs</c> the callbacks and
/// their one-time run; <c>Future.Contingent.cs</c> the rarely used fields; <c>Future.Waiting.cs</c> blocking waits.</para>
/// <para>A future is small on purpose (a generated call of <c>Inc(int)</c> is one 72-byte object): one state word,
/// two inline continuation slots, and one slot that holds either the submitter's <see cref="ExecutionContext"/> or a
/// lazily created object with everything rare (exception, wait event, token source, task adapter).</para>
/// </remarks>
public abstract partial class Future
{
    private readonly Executor? _executor;

    private protected Future(Executor? executor) => _executor = executor;

    private protected Future(FutureState terminalState, FutureException? exception)
    {
        _stateWord = (int)terminalState;
        _continuation = s_completed;
        _continuation2 = s_completed;
        if (exception is not null)
        {
            _contingent = new ContingentProperties { Exception = exception };
        }
    }

    internal Executor? OwnerExecutor => _executor;

    /// <summary>
    /// The call's label for graphs, spans and monitors, rendered from its arguments (see
    /// <see cref="Internals.DependentFuture{TResult}.Label"/>); null for futures that are not calls. Never throws.
    /// </summary>
    internal virtual string? RenderLabel() => null;

    /// <summary>The executor that runs this call, or <see langword="null"/> for a future made by
    /// <see cref="FromResult{T}(T)"/>, <see cref="FromException(Exception)"/> and the like.</summary>
    public IExecutor? Executor => _executor;

    /// <summary>Where the call is in its life cycle.</summary>
    public FutureState State => PublicState(Volatile.Read(ref _stateWord));

    /// <summary>True once the future is succeeded, faulted or cancelled (Python's <c>done()</c>).</summary>
    public bool IsDone => IsTerminal(Volatile.Read(ref _stateWord));

    /// <summary>True while the call runs (Python's <c>running()</c>).</summary>
    public bool IsRunning => State == FutureState.Running;

    /// <summary>True if the future was cancelled (Python's <c>cancelled()</c>).</summary>
    public bool IsCancelled => State == FutureState.Cancelled;

    /// <summary>True if the call, or one of its argument futures, threw.</summary>
    public bool IsFaulted => State == FutureState.Faulted;

    /// <summary>A completed future with no result.</summary>
    public static Future CompletedFuture { get; } = new Future<Internals.VoidResult>(default(Internals.VoidResult));

    /// <summary>A future that already succeeded with <paramref name="result"/>.</summary>
    public static Future<T> FromResult<T>(T result) => new(result);

    /// <summary>A future without a result that already faulted with <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Future FromException(Exception exception) => FromException<Internals.VoidResult>(exception);

    /// <summary>A future that already faulted with <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Future<T> FromException<T>(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Future<T>(FutureState.Faulted, FutureException.Capture(exception, observed: false));
    }

    /// <summary>A future without a result that is already cancelled.</summary>
    public static Future FromCancelled() => FromCancelled<Internals.VoidResult>();

    /// <summary>A future that is already cancelled.</summary>
    public static Future<T> FromCancelled<T>() => new(FutureState.Cancelled, null);

    /// <summary>
    /// Blocks until the future is done (Python's <c>wait</c> on one future). Never throws the call's exception.
    /// On a worker of the future's own pool, the worker runs queued work (this future first) instead of sleeping,
    /// so a pool that waits on itself does not deadlock.
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>True if the future is done; false if the timeout expired first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large.</exception>
    public bool Wait(TimeSpan? timeout = null) => WaitCore(Deadline.From(timeout, nameof(timeout)));

    /// <summary>
    /// The exception the call threw, or <see langword="null"/> if it succeeded (Python's <c>exception(timeout)</c>).
    /// Reading it counts as observing it (see <see cref="UnobservedException"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits forever.</param>
    /// <exception cref="TimeoutException">The future is not done within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The future was cancelled.</exception>
    public Exception? GetException(TimeSpan? timeout = null)
    {
        WaitOrThrowTimeout(timeout);
        switch (State)
        {
            case FutureState.Cancelled:
                throw CancelledException();
            case FutureState.Faulted:
                MarkExceptionObserved();
                return ExceptionHolder!.Exception;
            default:
                return null;
        }
    }

    /// <summary>
    /// Cancels the call if it has not started (Python's <c>cancel()</c>). A running call gets its
    /// <see cref="CancellationToken"/> signalled instead, and keeps running until it observes it.
    /// Every pending call that depends on this future is cancelled with it.
    /// </summary>
    /// <returns>True if the future is now cancelled (it had not started, or was already cancelled); false if it is running or done.</returns>
    public bool Cancel()
    {
        while (true)
        {
            int word = Volatile.Read(ref _stateWord);
            switch (RawState(word))
            {
                case RawCancelled:
                    return true;
                case RawPending:
                    if (TryComplete(FutureState.Pending, FutureState.Cancelled, null))
                    {
                        return true;
                    }

                    continue;
                case RawRunning:
                    RequestCancellation();
                    return false;
                case RawCompletingFromPending:
                case RawCompletingFromRunning:
                    Thread.SpinWait(1); // another thread is a few instructions from a terminal state
                    continue;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// Adds a callback that runs once when the future is done (Python's <c>add_done_callback</c>); at once,
    /// on this thread, if it is already done. Callbacks run in the order they were added, after the runtime's own
    /// continuations (dependent calls are queued first). A callback that throws is reported through
    /// <see cref="Executor.CallbackFaulted"/> or <see cref="UnobservedCallbackException"/>; it never skips the other
    /// callbacks and never stops a worker. Adding a callback counts as observing the future's exception.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    public void OnDone(Action<Future> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        MarkExceptionObserved();
        AddContinuation(callback);
    }

    /// <summary>A task that completes when this future does, with the same outcome.</summary>
    public Task AsTask() => GetOrCreateTask();

    /// <summary>
    /// Makes the future awaitable. A future that is already done continues at once; otherwise the continuation is
    /// posted to the captured <see cref="SynchronizationContext"/>/<see cref="TaskScheduler"/> or the .NET thread
    /// pool, never run inline on the worker that completed the future.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FutureAwaiter GetAwaiter() => new(this, continueOnCapturedContext: true);

    /// <summary>Configures how an await on this future resumes, as <see cref="Task.ConfigureAwait(bool)"/> does.</summary>
    public ConfiguredFutureAwaitable ConfigureAwait(bool continueOnCapturedContext) => new(this, continueOnCapturedContext);

    /// <summary>What the future is and where it stands, e.g. <c>Add(Succeeded)</c>.</summary>
    public override string ToString() => $"{DisplayName}({State})";

    /// <summary>The name <see cref="ToString"/> uses: a call's method name (derived from the generated call
    /// class, its <see cref="Remoting.IRemoteCall.MethodId"/> or its delegate), else <c>Future</c>.</summary>
    private protected virtual string DisplayName => Diagnostics.CallNames.DisplayName(this);

    private protected static OperationCanceledException CancelledException() => new("The future was cancelled.");
}
