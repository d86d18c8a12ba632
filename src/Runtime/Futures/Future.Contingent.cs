using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

// The rarely used parts of a future, in one object created on first need (as Task's ContingentProperties): most calls
// never fault, are never blocked on, never cancelled and never adapted to a Task, and then pay only one null field.
public abstract partial class Future
{
    private static readonly ExecutionContext? s_defaultContext = CaptureDefaultContext();

    // null | the submitter's ExecutionContext (when it is not the default one) | ContingentProperties.
    private object? _contingent;

    /// <summary>True if cancellation was requested through <see cref="Cancel"/> or a cancelling shutdown.</summary>
    internal bool IsCancellationRequested => (_contingent as ContingentProperties)?.CancellationRequested == 1;

    /// <summary>The exception of a faulted future (set before the state says Faulted), else null.</summary>
    internal FutureException? ExceptionHolder => (Volatile.Read(ref _contingent) as ContingentProperties)?.Exception;

    /// <summary>The context a call runs in: the submitter's, or null for the default context.</summary>
    private protected ExecutionContext? CapturedContext => Volatile.Read(ref _contingent) switch
    {
        ExecutionContext context => context,
        ContingentProperties contingent => contingent.Context,
        _ => null,
    };

    /// <summary>The default context (no AsyncLocal values), or null if it could not be captured.</summary>
    private protected static ExecutionContext? DefaultContext => s_defaultContext;

    /// <summary>True when the current thread runs in the default context (no AsyncLocal values), so a call captured in the default context can run without switching.</summary>
    private protected static bool ThreadHasDefaultContext => ExecutionContext.Capture() == s_defaultContext;

    /// <summary>Captures the submitter's context; a default context costs nothing to store or to run in.</summary>
    private protected void CaptureContext()
    {
        ExecutionContext? context = ExecutionContext.Capture();
        if (context is not null && context != s_defaultContext)
        {
            _contingent = context;
        }
    }

    /// <summary>Puts the current thread back in the default context after a call changed it (it set an AsyncLocal).</summary>
    private protected static void RestoreDefaultContext()
    {
        if (s_defaultContext is not null && ExecutionContext.Capture() != s_defaultContext)
        {
            ExecutionContext.Restore(s_defaultContext);
        }
    }

    /// <summary>A token that fires when this future is cancelled or its executor shuts down with <c>cancelFutures</c>.</summary>
    private protected CancellationToken GetCancellationToken()
    {
        ContingentProperties contingent = EnsureContingent();
        CancellationTokenSource? source = Volatile.Read(ref contingent.CancellationSource);
        if (source is null)
        {
            CancellationToken shutdown = _executor?.ShutdownToken ?? default;
            var created = shutdown.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(shutdown)
                : new CancellationTokenSource();
            source = Interlocked.CompareExchange(ref contingent.CancellationSource, created, null) ?? created;
            if (source != created)
            {
                created.Dispose();
            }

            // RequestCancellation sets the flag, then reads the source; we published the source, then read the flag.
            if (Volatile.Read(ref contingent.CancellationRequested) == 1)
            {
                CancelSource(source);
            }
        }

        return source.Token;
    }

    /// <summary>Signals a running call's token (Cancel on a running call, a timeout).</summary>
    private protected void RequestCancellation()
    {
        ContingentProperties contingent = EnsureContingent();
        Interlocked.Exchange(ref contingent.CancellationRequested, 1);
        if (Volatile.Read(ref contingent.CancellationSource) is { } source)
        {
            CancelSource(source);
        }
    }

    private void CancelSource(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call completed meanwhile; there is nothing left to signal.
        }
        catch (AggregateException ex)
        {
            // A token callback registered by user code threw; that is the user's failure to see, not ours to lose.
            CallbackFailures.Report(this, ex);
        }
    }

    /// <summary>Counts the exception as seen, now or when the future faults later.</summary>
    internal void MarkExceptionObserved()
    {
        if ((Volatile.Read(ref _stateWord) & ObservedFlag) == 0)
        {
            // Set the flag, then look for the exception; StoreException stores it, then looks at the flag.
            Interlocked.Or(ref _stateWord, ObservedFlag);
            ExceptionHolder?.MarkObserved();
        }
    }

    private void StoreException(FutureException exception)
    {
        Interlocked.Exchange(ref EnsureContingent().Exception, exception);
        exception.SetOwner(this);
        if ((Volatile.Read(ref _stateWord) & ObservedFlag) != 0)
        {
            exception.MarkObserved();
        }
    }

    private protected Task GetOrCreateTask()
    {
        ContingentProperties contingent = EnsureContingent();
        Task? task = Volatile.Read(ref contingent.Task);
        if (task is null)
        {
            // The task answers for the exception from now on (TaskScheduler.UnobservedTaskException).
            MarkExceptionObserved();
            Task created = CreateTask();
            task = Interlocked.CompareExchange(ref contingent.Task, created, null) ?? created;
        }

        return task;
    }

    private protected abstract Task CreateTask();

    /// <summary>The result to fetch on first read, if the call's value stayed where it ran.</summary>
    private protected object? DeferredResultOrNull => (_contingent as ContingentProperties)?.Deferred;

    private protected void SetDeferredResult(object deferred) => EnsureContingent().Deferred = deferred;

    /// <summary>A remote executor's own data about this call (see <see cref="Remoting.IRemoteWorkItem.RemoteState"/>).</summary>
    internal object? RemoteState
    {
        get => (_contingent as ContingentProperties)?.RemoteState;
        set => EnsureContingent().RemoteState = value;
    }

    /// <summary>
    /// What telemetry records about this call (a <c>Diagnostics.CallRecord</c>), set only for calls submitted
    /// while something listens; kept with the other rare fields so the call itself does not grow, and so looking it up
    /// costs a field read (a ConditionalWeakTable costs 0.4-2 µs per call to add to, and every GC walks its handles).
    /// </summary>
    internal object? TelemetryRecord
    {
        get => (Volatile.Read(ref _contingent) as ContingentProperties)?.Telemetry;
        set => EnsureContingent().Telemetry = value;
    }

    /// <summary>True if anything waits for this future here: a dependent call, a waiter, an awaiter, a callback.</summary>
    internal bool HasLocalReaders
    {
        get
        {
            object? first = Volatile.Read(ref _continuation);
            object? second = Volatile.Read(ref _continuation2);
            return (first is not null && first != s_removed && first != s_completed) || (second is not null && second != s_removed && second != s_completed);
        }
    }

    /// <summary>Counts one more retry and returns how many there have been.</summary>
    private protected int CountRetry() => Interlocked.Increment(ref EnsureContingent().Attempts);

    /// <summary>Starts (or, with null, stops) the clock of the current run.</summary>
    private protected void SetAttemptTimer(Timer? timer) => Interlocked.Exchange(ref EnsureContingent().AttemptTimer, timer)?.Dispose();

    private ContingentProperties EnsureContingent()
    {
        while (true)
        {
            object? current = Volatile.Read(ref _contingent);
            if (current is ContingentProperties existing)
            {
                return existing;
            }

            var created = new ContingentProperties { Context = current as ExecutionContext };
            if (Interlocked.CompareExchange(ref _contingent, created, current) == current)
            {
                return created;
            }
        }
    }

    /// <summary>AsyncLocal values must not outlive the call: drop the context once it is done.</summary>
    private void DropContext()
    {
        object? current = Volatile.Read(ref _contingent);
        if (current is ExecutionContext)
        {
            // A concurrent EnsureContingent copies the context into a new object; then clear it there.
            if (Interlocked.CompareExchange(ref _contingent, null, current) != current)
            {
                ((ContingentProperties)_contingent!).Context = null;
            }
        }
        else if (current is ContingentProperties contingent)
        {
            contingent.Context = null;
        }
    }

    private static ExecutionContext? CaptureDefaultContext()
    {
        // A thread started without flowing a context runs in the default one.
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture()) { IsBackground = true };
        thread.UnsafeStart();
        thread.Join();
        return captured;
    }

    private sealed class ContingentProperties
    {
        public ExecutionContext? Context;
        public FutureException? Exception;
        public ManualResetEventSlim? DoneEvent; // created only when a thread blocks on the future
        public CancellationTokenSource? CancellationSource;
        public int CancellationRequested;
        public Task? Task;
        public int Attempts;        // runs that threw and were retried
        public Timer? AttemptTimer; // the [Submittable(TimeoutMilliseconds)] clock of the current run, or the backoff before a retry
        public Timer? CancelTimer;  // Future.CancelAfter
        public object? Deferred;    // a result fetched on first read (remote executors)
        public object? RemoteState; // a remote executor's own data about the call
        public System.Collections.Generic.List<CancellationTokenRegistration>? Registrations; // WithCancellation views; guarded by lock (this)
        public object? Telemetry;   // the call's Diagnostics.CallRecord, while telemetry listens

        /// <summary>Runs once the state is terminal: wakes blocked threads, releases the token source.</summary>
        public void OnCompleted()
        {
            // BlockUntilDone publishes the event, then reads the state; the state was published before this read.
            Volatile.Read(ref DoneEvent)?.Set();
            if (Volatile.Read(ref CancellationSource) is not null)
            {
                Interlocked.Exchange(ref CancellationSource, null)?.Dispose();
            }

            Interlocked.Exchange(ref AttemptTimer, null)?.Dispose();
            Interlocked.Exchange(ref CancelTimer, null)?.Dispose();
            if (Volatile.Read(ref Registrations) is not null)
            {
                Unregister();
            }
        }

        public void Unregister()
        {
            lock (this)
            {
                Registrations?.ForEach(static r => r.Unregister());
                Registrations = null;
            }
        }
    }
}
