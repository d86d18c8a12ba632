using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Advanced;

namespace Pipelines;

/// <summary>
/// The base of the executors Pipelines ships. It owns what every executor shares: accepting work (and refusing
/// it after shutdown), counting accepted calls until each reaches a terminal state, and shutdown. Subclasses
/// only decide where a ready call runs.
/// </summary>
public abstract class Executor : IExecutor
{
    [ThreadStatic]
    private static Executor? t_currentWorkerPool;

    private readonly CancellationTokenSource _shutdownSource = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _outstanding;
    private int _isShutdown;
    private int _cancelPending;
    private BrokenExecutorException? _broken;

    private protected Executor(string name) => Name = name;

    /// <summary>
    /// Raised on the completing thread when a done-callback of one of this executor's futures throws. When no
    /// handler is attached, <see cref="Future.UnobservedCallbackException"/> is raised instead.
    /// </summary>
    public event EventHandler<FutureCallbackExceptionEventArgs>? CallbackFaulted;

    /// <summary>The executor's name, used in thread names and error messages.</summary>
    public string Name { get; }

    /// <summary>True once <see cref="Shutdown(bool, bool)"/> or <see cref="ShutdownAsync(bool)"/> was called.</summary>
    public bool IsShutdown => Volatile.Read(ref _isShutdown) != 0;

    /// <summary>True once the executor is broken (a worker initializer threw).</summary>
    public bool IsBroken => Volatile.Read(ref _broken) is not null;

    /// <summary>The pool whose worker the current thread is, if any (set by pools on their own threads).</summary>
    internal static Executor? CurrentWorkerPool
    {
        get => t_currentWorkerPool;
        private protected set => t_currentWorkerPool = value;
    }

    internal CancellationToken ShutdownToken => _shutdownSource.Token;

    internal bool IsCancellingPending => Volatile.Read(ref _cancelPending) != 0;

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new DelegateCalls.Sync<T>(this, function);
    }

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<CancellationToken, T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new DelegateCalls.SyncWithToken<T>(this, function);
    }

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<CancellationToken, Task<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new DelegateCalls.Async<T>(this, function);
    }

    /// <inheritdoc/>
    public Future Submit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new DelegateCalls.Void(this, action);
    }

    /// <inheritdoc/>
    public void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        if (wait && IsOwnWorker)
        {
            throw new InvalidOperationException(
                $"Shutdown(wait: true) was called on a worker of '{Name}': it would wait for its own call to finish, forever. " +
                "Call Shutdown(wait: false) or ShutdownAsync() from inside the pool, or shut it down from outside.");
        }

        BeginShutdown(cancelFutures);
        if (wait)
        {
            _drained.Task.Wait();
            WaitForWorkersToExit();
        }
    }

    /// <inheritdoc/>
    public async Task ShutdownAsync(bool cancelFutures = false)
    {
        BeginShutdown(cancelFutures);
        await _drained.Task.ConfigureAwait(false);
        if (!IsOwnWorker)
        {
            WaitForWorkersToExit();
        }
    }

    /// <summary>Shuts down and waits for all accepted work (<c>Shutdown(wait: true)</c>).</summary>
    public void Dispose()
    {
        Shutdown(wait: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts down and waits for all accepted work without blocking (<see cref="ShutdownAsync(bool)"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>True when the current thread is running work of this executor.</summary>
    private protected virtual bool IsOwnWorker => CurrentWorkerPool == this;

    /// <summary>Counts a new call as accepted, or refuses it. Every accepted call is counted until it is done.</summary>
    internal void Accept()
    {
        // Count first, then look at the flag: Shutdown sets the flag, then reads the count, so one of us sees the other.
        Interlocked.Increment(ref _outstanding);
        if (IsShutdown)
        {
            OnWorkCompleted();
            throw new ExecutorShutdownException($"Cannot submit to '{Name}': it has been shut down.");
        }

        if (Volatile.Read(ref _broken) is { } broken)
        {
            OnWorkCompleted();
            throw new BrokenExecutorException($"Cannot submit to '{Name}': {broken.Message}", broken.InnerException);
        }
    }

    /// <summary>Hands a ready call (all its argument futures succeeded) to the executor.</summary>
    internal void Enqueue(IWorkItem item)
    {
        if (Volatile.Read(ref _broken) is { } broken)
        {
            item.Fail(broken);
        }
        else if (IsCancellingPending)
        {
            item.Future.Cancel();
        }
        else
        {
            EnqueueCore(item);
        }
    }

    internal void OnWorkCompleted()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0 && IsShutdown)
        {
            OnDrained();
        }
    }

    internal bool RaiseCallbackFaulted(FutureCallbackExceptionEventArgs args)
    {
        EventHandler<FutureCallbackExceptionEventArgs>? handler = CallbackFaulted;
        if (handler is null)
        {
            return false;
        }

        handler(this, args);
        return true;
    }

    /// <summary>Runs <paramref name="future"/> on the current thread if it is this executor's, ready and not started.</summary>
    internal virtual bool TryRunInline(Future future) => false;

    /// <summary>Runs one queued call on the current thread, if this executor can.</summary>
    internal virtual bool TryRunOneQueued() => false;

    /// <summary>Queues a ready call.</summary>
    private protected abstract void EnqueueCore(IWorkItem item);

    /// <summary>Called once the executor is shut down and every accepted call is done.</summary>
    private protected virtual void OnDrained() => _drained.TrySetResult();

    /// <summary>Cancels queued calls at once when shutdown asks for it (calls that become ready later are cancelled then).</summary>
    private protected virtual void CancelQueued()
    {
    }

    /// <summary>Blocks until the executor's own threads have exited.</summary>
    private protected virtual void WaitForWorkersToExit()
    {
    }

    /// <summary>Why the executor is broken, or null.</summary>
    private protected BrokenExecutorException? BrokenReason => Volatile.Read(ref _broken);

    /// <summary>Breaks the executor: pending and later work fails with a <see cref="BrokenExecutorException"/>.</summary>
    private protected void Break(BrokenExecutorException exception) => Interlocked.CompareExchange(ref _broken, exception, null);

    private void BeginShutdown(bool cancelFutures)
    {
        if (cancelFutures)
        {
            Volatile.Write(ref _cancelPending, 1);
        }

        Interlocked.Exchange(ref _isShutdown, 1);
        if (cancelFutures)
        {
            CancelQueued();
            try
            {
                _shutdownSource.Cancel();
            }
            catch (AggregateException ex)
            {
                // A user's token callback threw. Shutdown must still finish; report it like a callback failure.
                Future.WriteError($"Pipelines: a cancellation callback threw during shutdown of '{Name}': {Future.Describe(ex)}");
            }
        }

        if (Volatile.Read(ref _outstanding) == 0)
        {
            OnDrained();
        }
    }
}
