using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// One submitted call whose result arrives later (Python's <c>concurrent.futures.Future</c>).
/// Calls without a result (<see langword="void"/>, <see cref="Task"/>, <see cref="ValueTask"/>) are a
/// <see cref="Future"/>; calls with one are a <see cref="Future{T}"/>.
/// </summary>
/// <remarks>
/// The state is one interlocked word; completion callbacks live in one slot that becomes a list only when a
/// second callback arrives, and they run exactly once, in registration order, on the thread that completes
/// the future (or at once on the registering thread when the future is already done).
/// </remarks>
public abstract class Future
{
    private static readonly object s_completedSentinel = new();

    // Completing a future runs its continuations, which may complete dependents, whose continuations complete
    // theirs, and so on: one more level of nesting per link. A long chain (a fold of 100k calls whose root faults or
    // is cancelled, or a chain of inline calls) overflowed the stack and killed the process. Past this depth, a
    // completion on this thread queues its continuations, and the outermost completion on the thread runs them.
    private const int MaxNestedCompletions = 32;

    [ThreadStatic]
    private static int t_completionDepth;

    [ThreadStatic]
    private static Queue<Future>? t_deferredCompletions;

    private int _state;
    private ExceptionDispatchInfo? _exception;
    private object? _continuations;        // null | one continuation | List<object> | s_completedSentinel
    private ManualResetEventSlim? _doneEvent; // created only when a thread blocks
    private int _cancellationRequested;
    private CancellationTokenSource? _cancellationSource;
    private Task? _task;

    private protected Future(Executor? executor) => OwnerExecutor = executor;

    private protected Future(FutureState terminalState, ExceptionDispatchInfo? exception)
    {
        _state = (int)terminalState;
        _exception = exception;
        _continuations = s_completedSentinel;
    }

    /// <summary>
    /// Raised when an <see cref="OnDone(Action{Future})"/> callback throws and the future's executor has no
    /// <see cref="Executor.CallbackFaulted"/> handler. Without any handler the exception is written to standard
    /// error, as CPython logs it: it is never swallowed silently, and it never stops other callbacks.
    /// </summary>
    public static event EventHandler<FutureCallbackExceptionEventArgs>? UnobservedCallbackException;

    internal Executor? OwnerExecutor { get; }

    /// <summary>The executor that runs this call, or <see langword="null"/> for a future made by
    /// <see cref="FromResult{T}(T)"/>, <see cref="FromException(Exception)"/> and the like.</summary>
    public IExecutor? Executor => OwnerExecutor;

    /// <summary>Where the call is in its life cycle.</summary>
    public FutureState State => (FutureState)Volatile.Read(ref _state);

    /// <summary>True once the future is succeeded, faulted or cancelled (Python's <c>done()</c>).</summary>
    public bool IsDone => Volatile.Read(ref _state) >= (int)FutureState.Succeeded;

    /// <summary>True while the call runs (Python's <c>running()</c>).</summary>
    public bool IsRunning => State == FutureState.Running;

    /// <summary>True if the future was cancelled (Python's <c>cancelled()</c>).</summary>
    public bool IsCancelled => State == FutureState.Cancelled;

    /// <summary>True if the call, or one of its argument futures, threw.</summary>
    public bool IsFaulted => State == FutureState.Faulted;

    /// <summary>True if cancellation was requested through <see cref="Cancel"/> or a cancelling shutdown.</summary>
    internal bool IsCancellationRequested => Volatile.Read(ref _cancellationRequested) != 0;

    /// <summary>A completed future with no result.</summary>
    public static Future CompletedFuture { get; } = new Future<Advanced.VoidResult>(default(Advanced.VoidResult));

    /// <summary>A future that already succeeded with <paramref name="result"/>.</summary>
    public static Future<T> FromResult<T>(T result) => new(result);

    /// <summary>A future without a result that already faulted with <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Future FromException(Exception exception) => FromException<Advanced.VoidResult>(exception);

    /// <summary>A future that already faulted with <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Future<T> FromException<T>(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Future<T>(FutureState.Faulted, ExceptionDispatchInfo.Capture(exception));
    }

    /// <summary>A future without a result that is already cancelled.</summary>
    public static Future FromCancelled() => FromCancelled<Advanced.VoidResult>();

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
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits forever.</param>
    /// <exception cref="TimeoutException">The future is not done within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The future was cancelled.</exception>
    public Exception? GetException(TimeSpan? timeout = null)
    {
        WaitOrThrowTimeout(timeout);
        return State switch
        {
            FutureState.Cancelled => throw CancelledException(),
            FutureState.Faulted => _exception!.SourceException,
            _ => null,
        };
    }

    /// <summary>
    /// Cancels the call if it has not started (Python's <c>cancel()</c>). A running call gets its
    /// <see cref="CancellationToken"/> signalled instead, and keeps running until it observes it.
    /// </summary>
    /// <returns>True if the future is now cancelled (it had not started, or was already cancelled); false if it is running or done.</returns>
    public bool Cancel()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            switch ((FutureState)state)
            {
                case FutureState.Cancelled:
                    return true;
                case FutureState.Pending:
                    Volatile.Write(ref _cancellationRequested, 1);
                    if (TryComplete(FutureState.Pending, FutureState.Cancelled, null))
                    {
                        return true;
                    }

                    continue;
                case FutureState.Running:
                    RequestCancellation();
                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// Adds a callback that runs once when the future is done (Python's <c>add_done_callback</c>); at once,
    /// on this thread, if it is already done. Callbacks run in the order they were added. A callback that
    /// throws is reported through <see cref="Executor.CallbackFaulted"/> or <see cref="UnobservedCallbackException"/>;
    /// it never skips the other callbacks and never stops a worker.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    public void OnDone(Action<Future> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddContinuation(callback);
    }

    /// <summary>A task that completes when this future does, with the same outcome.</summary>
    public Task AsTask() => GetOrCreateTask();

    /// <summary>Makes the future awaitable. The continuation never runs inline on the worker that completed the future.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TaskAwaiter GetAwaiter() => AsTask().GetAwaiter();

    /// <summary>Configures how an await on this future resumes, as <see cref="Task.ConfigureAwait(bool)"/> does.</summary>
    public ConfiguredTaskAwaitable ConfigureAwait(bool continueOnCapturedContext) => AsTask().ConfigureAwait(continueOnCapturedContext);

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({State})";

    /// <summary>A cancellation token that fires when this future is cancelled or its executor shuts down with <c>cancelFutures</c>.</summary>
    private protected CancellationToken GetCancellationToken()
    {
        CancellationTokenSource? source = Volatile.Read(ref _cancellationSource);
        if (source is null)
        {
            CancellationToken shutdown = OwnerExecutor?.ShutdownToken ?? default;
            var created = shutdown.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(shutdown)
                : new CancellationTokenSource();
            source = Interlocked.CompareExchange(ref _cancellationSource, created, null) ?? created;
            if (source != created)
            {
                created.Dispose();
            }

            // Cancel() may have run between the first read and the publish: it could not see the source then.
            if (IsCancellationRequested)
            {
                source.Cancel();
            }
        }

        return source.Token;
    }

    private void RequestCancellation()
    {
        Volatile.Write(ref _cancellationRequested, 1);
        try
        {
            Volatile.Read(ref _cancellationSource)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call completed meanwhile; there is nothing left to signal.
        }
        catch (AggregateException ex)
        {
            // A token callback registered by user code threw; that is the user's failure to see, not ours to lose.
            ReportCallbackException(ex);
        }
    }

    /// <summary>Claims a pending future for running. Only one thread ever wins.</summary>
    private protected bool TryStart() => TryTransition(FutureState.Pending, FutureState.Running);

    private protected bool TryTransition(FutureState from, FutureState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;

    /// <summary>Moves the future to a terminal state and runs everything that waits for it.</summary>
    private protected bool TryComplete(FutureState from, FutureState to, ExceptionDispatchInfo? exception)
    {
        // The exception must be visible before the state says Faulted; only the winner of the CAS owns the write,
        // and for a Pending future several threads can race (cancel, an argument fault), so write then undo.
        if (exception is not null)
        {
            if (from == FutureState.Running)
            {
                // Only the thread that started a call completes it from Running. But a thread trying to fault it as
                // Pending (a broken pool failing a queued item that a helping worker had already started) can hold the
                // slot for an instant before its transition fails and it lets go. Returning false here used to leave
                // the future Running forever; wait for the slot instead.
                var spin = default(SpinWait);
                while (Interlocked.CompareExchange(ref _exception, exception, null) is not null)
                {
                    spin.SpinOnce();
                }
            }
            else if (Interlocked.CompareExchange(ref _exception, exception, null) is not null)
            {
                return false;
            }
        }

        if (!TryTransition(from, to))
        {
            if (exception is not null)
            {
                Volatile.Write(ref _exception, null);
            }

            return false;
        }

        OnCompleted();
        return true;
    }

    /// <summary>Faults or cancels a future that has not started because an argument future did not succeed.</summary>
    private protected bool TryCompleteLike(Future argument) =>
        argument.State == FutureState.Faulted
            ? TryComplete(FutureState.Pending, FutureState.Faulted, argument._exception)
            : TryComplete(FutureState.Pending, FutureState.Cancelled, null);

    /// <summary>Finishes a running call from the exception it threw.</summary>
    private protected void CompleteRunningWith(Exception exception)
    {
        // An OperationCanceledException after we asked the call to stop means it honoured the request.
        bool cancelled = exception is OperationCanceledException && (IsCancellationRequested || OwnerExecutor?.ShutdownToken.IsCancellationRequested == true);
        if (cancelled)
        {
            TryComplete(FutureState.Running, FutureState.Cancelled, null);
        }
        else
        {
            TryComplete(FutureState.Running, FutureState.Faulted, ExceptionDispatchInfo.Capture(exception));
        }
    }

    /// <summary>Lets a call drop references to its arguments once it is done, so they can be collected.</summary>
    private protected virtual void ReleaseResources()
    {
    }

    private void OnCompleted()
    {
        ReleaseResources();
        // Most calls never create a token source or a wait event: read before paying for an interlocked exchange.
        if (Volatile.Read(ref _cancellationSource) is not null)
        {
            Interlocked.Exchange(ref _cancellationSource, null)?.Dispose();
        }

        Volatile.Read(ref _doneEvent)?.Set();

        if (t_completionDepth >= MaxNestedCompletions)
        {
            (t_deferredCompletions ??= new Queue<Future>()).Enqueue(this);
            return;
        }

        t_completionDepth++;
        try
        {
            RunContinuations();
        }
        finally
        {
            if (t_completionDepth == 1 && t_deferredCompletions is { } deferred)
            {
                // The outermost completion on this thread: run what deeper ones queued (they may queue more).
                while (deferred.TryDequeue(out Future? next))
                {
                    next.RunContinuations();
                }
            }

            t_completionDepth--;
        }
    }

    private void RunContinuations()
    {
        object? continuations = Interlocked.Exchange(ref _continuations, s_completedSentinel);
        if (continuations is List<object> list)
        {
            // Wait for an adder that holds the list's lock to finish; after this no one can add.
            lock (list)
            {
            }

            foreach (object continuation in list)
            {
                Invoke(continuation);
            }
        }
        else if (continuations is not null)
        {
            Invoke(continuations);
        }

        OwnerExecutor?.OnWorkCompleted();
    }

    internal void AddContinuation(object continuation)
    {
        while (true)
        {
            object? current = Volatile.Read(ref _continuations);
            if (current == s_completedSentinel || (continuation is IFutureContinuation && IsDone))
            {
                // Internal waiters (Futures.Wait, AsCompleted, AsTask, dependents) need only the final state, which is
                // set before the callbacks run: they need not queue behind callbacks whose run was deferred (see
                // OnCompleted), which a blocked waiter on this thread would otherwise wait for forever.
                Invoke(continuation);
                return;
            }

            if (current is null)
            {
                if (Interlocked.CompareExchange(ref _continuations, continuation, null) is null)
                {
                    return;
                }

                continue;
            }

            if (current is List<object> list)
            {
                lock (list)
                {
                    if (Volatile.Read(ref _continuations) == list)
                    {
                        list.Add(continuation);
                        return;
                    }
                }

                continue;
            }

            var grown = new List<object>(4) { current, continuation };
            if (Interlocked.CompareExchange(ref _continuations, grown, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Removes a continuation that is no longer interested (a waiter that gave up), so it is not retained.</summary>
    internal void RemoveContinuation(object continuation)
    {
        object? current = Volatile.Read(ref _continuations);
        if (current == continuation)
        {
            Interlocked.CompareExchange(ref _continuations, null, continuation);
        }
        else if (current is List<object> list)
        {
            lock (list)
            {
                if (Volatile.Read(ref _continuations) == list)
                {
                    list.Remove(continuation);
                }
            }
        }
    }

    private void Invoke(object continuation)
    {
        try
        {
            switch (continuation)
            {
                case IFutureContinuation internalContinuation:
                    internalContinuation.OnFutureCompleted(this);
                    break;
                case Action<Future> callback:
                    callback(this);
                    break;
                default:
                    InvokeTypedCallback(continuation);
                    break;
            }
        }
        catch (Exception ex)
        {
            ReportCallbackException(ex);
        }
    }

    private protected virtual void InvokeTypedCallback(object callback) =>
        throw new InvalidOperationException($"Unknown continuation {callback.GetType()}.");

    private void ReportCallbackException(Exception exception)
    {
        var args = new FutureCallbackExceptionEventArgs(this, exception);
        Exception? handlerException = null;
        try
        {
            if (OwnerExecutor?.RaiseCallbackFaulted(args) == true)
            {
                return;
            }

            EventHandler<FutureCallbackExceptionEventArgs>? handler = UnobservedCallbackException;
            if (handler is not null)
            {
                handler(this, args);
                return;
            }
        }
        catch (Exception ex)
        {
            handlerException = ex;
        }

        string message = $"Pipelines: exception in a done-callback of {this}: {Describe(exception)}";
        if (handlerException is not null)
        {
            message += $"{Environment.NewLine}and the callback-exception handler threw: {Describe(handlerException)}";
        }

        WriteError(message);
    }

    /// <summary>
    /// Formats a user's exception for standard error. Its <see cref="Exception.ToString"/> is user code and may throw;
    /// that used to escape the report and kill the worker thread (and the process) that completed the future.
    /// </summary>
    internal static string Describe(Exception exception)
    {
        try
        {
            return exception.ToString();
        }
        catch (Exception)
        {
            return $"{exception.GetType().FullName} (its ToString() threw)";
        }
    }

    /// <summary>The last resort for failures nobody handles: standard error. Never throws.</summary>
    internal static void WriteError(string message)
    {
        try
        {
            Console.Error.WriteLine(message);
        }
        catch (Exception)
        {
            // Standard error is closed or broken: there is nowhere left to report to, and a worker must survive.
        }
    }

    internal bool WaitCore(Deadline deadline)
    {
        if (IsDone)
        {
            return true;
        }

        return WorkerHelp.WaitUntil(this, static f => f.IsDone, this, deadline, static (f, ms) => f.BlockUntilDone(ms));
    }

    /// <summary>Sleeps until done or <paramref name="millisecondsTimeout"/> passes.</summary>
    private bool BlockUntilDone(int millisecondsTimeout)
    {
        ManualResetEventSlim? doneEvent = Volatile.Read(ref _doneEvent);
        if (doneEvent is null)
        {
            var created = new ManualResetEventSlim(false);
            doneEvent = Interlocked.CompareExchange(ref _doneEvent, created, null) ?? created;
        }

        // OnCompleted sets the state before it reads the event, and we published the event before this read:
        // one of the two always sees the other.
        if (IsDone)
        {
            return true;
        }

        doneEvent.Wait(millisecondsTimeout);
        return IsDone;
    }

    private protected void WaitOrThrowTimeout(TimeSpan? timeout)
    {
        if (!WaitCore(Deadline.From(timeout, nameof(timeout))))
        {
            throw new TimeoutException($"The future did not complete within {timeout}.");
        }
    }

    private protected void ThrowIfNotSucceeded()
    {
        switch (State)
        {
            case FutureState.Faulted:
                _exception!.Throw();
                break;
            case FutureState.Cancelled:
                throw CancelledException();
        }
    }

    private protected static OperationCanceledException CancelledException() => new("The future was cancelled.");

    private protected abstract Task CreateTask();

    private protected Task GetOrCreateTask()
    {
        Task? task = Volatile.Read(ref _task);
        if (task is null)
        {
            Task created = CreateTask();
            task = Interlocked.CompareExchange(ref _task, created, null) ?? created;
        }

        return task;
    }

    /// <summary>The exception to rethrow, for adapters that complete a task from this future.</summary>
    internal ExceptionDispatchInfo? ExceptionInfo => Volatile.Read(ref _exception);
}
