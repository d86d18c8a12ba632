using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines;

/// <summary>
/// Runs calls on dedicated worker threads (Python's <c>ThreadPoolExecutor</c>). Workers are created on demand,
/// up to <see cref="MaxWorkers"/>, when work arrives and no worker is idle; idle workers are reused. A worker
/// that blocks on a future of this pool runs queued work instead of sleeping, so the pool never deadlocks on
/// itself.
/// </summary>
public sealed class ThreadPoolExecutor : Executor
{
    private static int s_poolCount;

    private readonly ConcurrentQueue<IWorkItem> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Thread> _threads = new();
    private readonly Action? _initializer;
    private int _threadCount;
    private int _sleeping;      // workers in the idle section (reported as IdleWorkerCount)
    private int _unclaimedIdle; // idle workers that no submit has claimed yet (see EnqueueCore)
    private int _exiting;

    /// <summary>Creates a pool.</summary>
    /// <param name="maxWorkers">The most threads the pool starts; default <c>min(32, Environment.ProcessorCount + 4)</c>.</param>
    /// <param name="threadNamePrefix">Worker threads are named <c>{prefix}_{n}</c>; default <c>ThreadPoolExecutor-{k}</c>.</param>
    /// <param name="initializer">Runs once at the start of each worker thread. If it throws, the pool breaks:
    /// pending and later submits fail with <see cref="BrokenExecutorException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="threadNamePrefix"/> is empty or white space.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null, string? threadNamePrefix = null, Action? initializer = null)
        : base(threadNamePrefix ?? $"ThreadPoolExecutor-{Interlocked.Increment(ref s_poolCount) - 1}")
    {
        if (maxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "maxWorkers must be greater than 0.");
        }

        if (threadNamePrefix is not null && string.IsNullOrWhiteSpace(threadNamePrefix))
        {
            throw new ArgumentException("threadNamePrefix must not be empty; pass null for the default.", nameof(threadNamePrefix));
        }

        MaxWorkers = maxWorkers ?? Math.Min(32, Environment.ProcessorCount + 4);
        _initializer = initializer;
    }

    /// <summary>The most worker threads this pool starts.</summary>
    public int MaxWorkers { get; }

    /// <summary>Worker threads alive now.</summary>
    public int WorkerCount => Volatile.Read(ref _threadCount);

    /// <summary>Worker threads alive and waiting for work.</summary>
    public int IdleWorkerCount => Volatile.Read(ref _sleeping);

    /// <summary>Calls queued and not yet picked up by a worker.</summary>
    public int QueuedCount => _queue.Count;

    private protected override void EnqueueCore(IWorkItem item)
    {
        _queue.Enqueue(item);
        if (IsBroken)
        {
            FailQueued();
            return;
        }

        // Like CPython's _adjust_thread_count (its idle semaphore): each item claims one idle worker that no other
        // item has claimed, or starts another worker (up to MaxWorkers). Comparing a count of wakes with a count of
        // sleepers was racy: a worker that had consumed its wake but not yet left the sleeper count made the next
        // item send a wake nobody was waiting for and start no thread, so two calls that had to run side by side
        // (one waiting for the other) hung.
        // A worker going idle counts itself, then looks at the queue again: it sees this item, or we see it.
        if (TryClaimIdleWorker())
        {
            _wake.Release();
        }
        else
        {
            TryAddWorker();
        }
    }

    internal override bool TryRunInline(Future future)
    {
        if (CurrentWorkerPool != this || future.OwnerExecutor != this || future is not IWorkItem item
            || !item.IsReady || future.State != FutureState.Pending)
        {
            return false;
        }

        // The queue still holds the item; whoever dequeues it later finds it claimed and skips it.
        item.Execute();
        return true;
    }

    internal override bool TryRunOneQueued()
    {
        if (CurrentWorkerPool != this || !_queue.TryDequeue(out IWorkItem? item))
        {
            return false;
        }

        Run(item);
        return true;
    }

    private protected override void CancelQueued()
    {
        while (_queue.TryDequeue(out IWorkItem? item))
        {
            item.Future.Cancel();
        }
    }

    private protected override void OnDrained()
    {
        base.OnDrained();
        Interlocked.Exchange(ref _exiting, 1);
        int threads = Volatile.Read(ref _threadCount);
        if (threads > 0)
        {
            _wake.Release(threads);
        }
    }

    private protected override void WaitForWorkersToExit()
    {
        // A worker can still be starting when the pool drains (its submit raced the last completion): join until
        // no thread is left, so WorkerCount is 0 when Shutdown(wait: true) or Dispose returns.
        while (Volatile.Read(ref _threadCount) > 0)
        {
            Thread[] threads;
            lock (_threads)
            {
                threads = _threads.ToArray();
            }

            foreach (Thread thread in threads)
            {
                if (thread != Thread.CurrentThread)
                {
                    thread.Join();
                }
            }

            if (Array.IndexOf(threads, Thread.CurrentThread) >= 0)
            {
                return; // ShutdownAsync resumed on one of our own workers: it cannot wait for itself.
            }
        }
    }

    private bool TryClaimIdleWorker()
    {
        while (true)
        {
            int idle = Volatile.Read(ref _unclaimedIdle);
            if (idle <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _unclaimedIdle, idle - 1, idle) == idle)
            {
                return true;
            }
        }
    }

    private void TryAddWorker()
    {
        while (true)
        {
            int count = Volatile.Read(ref _threadCount);
            if (count >= MaxWorkers || Volatile.Read(ref _exiting) != 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _threadCount, count + 1, count) == count)
            {
                var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"{Name}_{count}" };
                lock (_threads)
                {
                    // Started under the lock: WaitForWorkersToExit joins only started threads (Join on an unstarted
                    // thread throws ThreadStateException, which a Shutdown racing a submit used to hit).
                    // Workers must not inherit the ExecutionContext of whichever submit happened to start them.
                    _threads.Add(thread);
                    thread.UnsafeStart();
                }

                return;
            }
        }
    }

    private void WorkerLoop()
    {
        CurrentWorkerPool = this;
        try
        {
            if (!IsBroken && _initializer is not null)
            {
                try
                {
                    _initializer();
                }
                catch (Exception ex)
                {
                    Break(new BrokenExecutorException($"A worker initializer of '{Name}' threw; the executor is broken.", ex));
                    FailQueued();
                    return;
                }
            }

            while (true)
            {
                if (_queue.TryDequeue(out IWorkItem? item))
                {
                    Run(item);
                    continue;
                }

                if (Volatile.Read(ref _exiting) != 0)
                {
                    return;
                }

                Interlocked.Increment(ref _sleeping);
                Interlocked.Increment(ref _unclaimedIdle);
                if (_queue.TryDequeue(out item))
                {
                    LeaveIdle();
                    Run(item);
                    continue;
                }

                if (Volatile.Read(ref _exiting) != 0)
                {
                    LeaveIdle();
                    return;
                }

                _wake.Wait();
                Interlocked.Decrement(ref _sleeping);
            }
        }
        finally
        {
            CurrentWorkerPool = null;
            Interlocked.Decrement(ref _threadCount);
        }
    }

    /// <summary>Leaves the idle section without having slept (it found work, or the pool is exiting).</summary>
    private void LeaveIdle()
    {
        // Un-count this worker if no submit claimed an idle worker meanwhile. If one did, its wake stays in the
        // semaphore and costs one spurious wake-up later. Waiting here for "our" wake instead would hang: any
        // sleeping worker can take that permit, leaving this worker blocked with a dequeued call in its hand
        // (seen as a stalled chain: queue empty, both workers idle, one call Pending forever).
        TryClaimIdleWorker();
        Interlocked.Decrement(ref _sleeping);
    }

    private void Run(IWorkItem item)
    {
        if (IsBroken)
        {
            item.Fail(BrokenReason!);
        }
        else
        {
            item.Execute();
        }
    }

    private void FailQueued()
    {
        while (_queue.TryDequeue(out IWorkItem? item))
        {
            item.Fail(BrokenReason!);
        }
    }

}
