using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

// Shutdown: stop accepting, then (when asked to wait) wait for all accepted work. One rule for every executor and every
// caller: a shutdown called from inside the executor's own work — a call's body, a done-callback, an inline
// continuation, an async call's continuation, a process pool's reader thread — cannot wait for the calls it is part
// of, so it waits for everything else (helping meanwhile), returns, and the executor finishes once those calls do.
public abstract partial class Executor
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _insideWaitersLock = new();
    private int _drainedSignalled;
    private volatile List<InsideWaiter>? _insideWaiters;

    /// <inheritdoc/>
    public void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        BeginShutdown(cancelFutures);
        if (!wait)
        {
            return;
        }

        if (InsideWork.Find(this) is { } inside)
        {
            InsideWaiter waiter = WaitForOthers(inside);
            WorkerHelp.WaitUntil(waiter, static w => w.Done.Task.IsCompleted, default, Deadline.Infinite, static (w, ms) => w.Block(ms));
            return; // the caller's own calls are still running: the workers exit once they finish
        }

        WorkerHelp.WaitUntil(_drained.Task, static t => t.IsCompleted, default, Deadline.Infinite, static (t, ms) => t.Wait(ms));
        WaitForWorkersCore();
    }

    /// <inheritdoc/>
    public async Task ShutdownAsync(bool cancelFutures = false)
    {
        BeginShutdown(cancelFutures);
        if (InsideWork.Find(this) is { } inside)
        {
            InsideWaiter waiter = WaitForOthers(inside);
            while (!waiter.Done.Task.IsCompleted)
            {
                await waiter.BlockAsync().ConfigureAwait(false);
            }

            return;
        }

        await _drained.Task.ConfigureAwait(false);
        WaitForWorkersCore();
    }

    /// <summary>Shuts down and waits for all accepted work (<c>Shutdown(wait: true)</c>); see <see cref="Shutdown(bool, bool)"/> for calls from inside the executor.</summary>
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

    /// <summary>Called once the executor is shut down and every accepted call is finished.</summary>
    private protected virtual void OnDrainedCore()
    {
    }

    /// <summary>Shutdown began (once per call); with <paramref name="cancelFutures"/>, cancel queued calls at once (calls that become ready later are cancelled then).</summary>
    private protected virtual void OnShutdownCore(bool cancelFutures)
    {
    }

    /// <summary>Blocks until the executor's own threads or processes have exited (never waits for the current thread).</summary>
    private protected virtual void WaitForWorkersCore()
    {
    }

    /// <summary>Stops accepting work (idempotent); with <paramref name="cancelFutures"/>, cancels what has not started.</summary>
    internal void BeginShutdown(bool cancelFutures)
    {
        if (cancelFutures)
        {
            Volatile.Write(ref _cancelPending, 1);
        }

        Interlocked.Exchange(ref _isShutdown, 1);
        SignalRoom(); // submitters waiting for room find the executor shut down
        OnShutdownCore(cancelFutures);
        if (cancelFutures)
        {
            try
            {
                _shutdownSource.Cancel();
            }
            catch (AggregateException ex)
            {
                // A user's token callback threw. Shutdown must still finish; report it like a callback failure.
                CallbackFailures.WriteError($"Pipelines: a cancellation callback threw during shutdown of '{Name}': {CallbackFailures.Describe(ex)}");
            }
        }

        // Why a sum of stripes read from here on is never too small, so that draining is not signalled early, and why
        // the last finish is still seen. Every step below is an Interlocked operation or follows one (a full fence).
        // - A call accepted before the flag was set counted itself before it read the flag unset, so its add precedes
        //   this thread's flag write and every sum read after it sees the add.
        // - A submit that counts itself after that reads the flag set and undoes its count on the same thread's stripe:
        //   a sum sees its add and its subtract, or its add alone (too big, for a moment), or neither.
        // - So a sum is too big, never too small, and each finish that a sum missed (read the stripe before the
        //   subtract) is followed by the finishing thread reading the flag set and summing again: the last one sums
        //   to zero (or, with a refused submit's add in view, that submit's undo sums again).
        if (_outstanding.Sum() == 0)
        {
            SignalDrained();
        }
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for every accepted call to finish (process exit).</summary>
    internal bool WaitUntilDrained(int milliseconds) => _drained.Task.Wait(milliseconds);

    private void OnProgressAfterShutdown(int remaining)
    {
        if (remaining == 0)
        {
            SignalDrained();
        }

        if (_insideWaiters is not null)
        {
            lock (_insideWaitersLock)
            {
                ReleaseInsideWaiters();
            }
        }
    }

    private void SignalDrained()
    {
        if (Interlocked.Exchange(ref _drainedSignalled, 1) == 0)
        {
            OnDrainedCore();
            _drained.TrySetResult();
        }
    }

    /// <summary>Registers a waiter whose task completes once the only unfinished calls are the caller's own (and those waiting on them).</summary>
    private InsideWaiter WaitForOthers(InsideWork inside)
    {
        var waiter = new InsideWaiter(this, inside);
        lock (_insideWaitersLock)
        {
            // Registered under the lock, then checked: OnWorkCompleted decrements first, then takes the lock to check.
            (_insideWaiters ??= new List<InsideWaiter>()).Add(waiter);
            ReleaseInsideWaiters();
        }

        return waiter;
    }

    private void RecheckInsideWaiters()
    {
        lock (_insideWaitersLock)
        {
            ReleaseInsideWaiters();
        }
    }

    private void ReleaseInsideWaiters()
    {
        List<InsideWaiter>? waiters = _insideWaiters;
        if (waiters is null || waiters.Count == 0)
        {
            return;
        }

        // Every caller waiting here is in the same position: none of their own calls can finish first. So they are
        // all released together, once nothing else is left (several calls shutting down their own pool at once).
        int outstanding = _outstanding.Sum();
        if (InsideWork.OnlyTheyRemain(waiters.ConvertAll(w => w.Work), outstanding))
        {
            foreach (InsideWaiter waiter in waiters)
            {
                waiter.Done.TrySetResult();
            }

            waiters.Clear();
        }
    }

    private sealed class InsideWaiter(Executor executor, InsideWork work)
    {
        // A call that starts waiting on the caller's own call later (it blocks or awaits on it) does not finish a call,
        // so nothing wakes the check: it runs again at this interval too. Waiting from inside is rare; a poll is cheap.
        private const int RecheckMilliseconds = 25;

        public InsideWork Work { get; } = work;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Block(int milliseconds)
        {
            Done.Task.Wait(milliseconds < 0 ? RecheckMilliseconds : Math.Min(milliseconds, RecheckMilliseconds));
            executor.RecheckInsideWaiters();
            return Done.Task.IsCompleted;
        }

        public async Task BlockAsync()
        {
            await Task.WhenAny(Done.Task, Task.Delay(RecheckMilliseconds)).ConfigureAwait(false);
            executor.RecheckInsideWaiters();
        }
    }
}
