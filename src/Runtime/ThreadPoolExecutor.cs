using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

/// <summary>
/// Runs calls on dedicated worker threads (Python's <c>ThreadPoolExecutor</c>). Workers are created on demand,
/// up to <see cref="MaxWorkers"/>, when work arrives and no worker is free; idle workers park and are reused, most
/// recently parked first, so the extra threads of an oversized pool stay asleep. A worker that blocks on a future
/// runs queued work instead of sleeping, so the pool never deadlocks on itself.
/// </summary>
/// <remarks>
/// Where work goes: a call made ready by the completion of the call a worker just ran goes to that worker's run-next
/// slot; calls submitted from a call running on a worker go to that worker's own queue (newest first for it, oldest
/// first for others that steal); every other call goes to the shared work, where calls made ready by a completion
/// (on any thread) come before root calls that have not started (<c>SharedWork.cs</c>: depth first, with a turn for
/// the roots). A worker takes its run-next call, then its own newest, then shared work, then steals. How workers
/// are woken is in <c>ThreadPoolExecutor.Scheduling.cs</c>.
/// </remarks>
public sealed partial class ThreadPoolExecutor : Executor
{
    private static int s_poolCount;

    private readonly SharedWork _shared = new();
    private readonly Action? _initializer;

    /// <summary>Creates a pool.</summary>
    /// <param name="maxWorkers">The most threads the pool runs calls on at once; default <c>min(32, Environment.ProcessorCount + 4)</c>.</param>
    /// <param name="threadNamePrefix">Worker threads are named <c>{prefix}_{n}</c>; default <c>ThreadPoolExecutor-{k}</c>.</param>
    /// <param name="initializer">Runs once at the start of each worker thread. If it throws, the pool breaks:
    /// pending and later submits fail with <see cref="BrokenExecutorException"/>.</param>
    /// <param name="maxQueued">Bounds the queue: at most this many calls wait beyond the <paramref name="maxWorkers"/>
    /// that can run (calls waiting for argument futures count too). A submit beyond it blocks until a call finishes —
    /// except from inside the pool's own work, where waiting could deadlock — and <see cref="WaitForRoomAsync"/> waits
    /// without blocking. Null (default): unbounded.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative, or <paramref name="maxQueued"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="threadNamePrefix"/> is empty or white space.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null, string? threadNamePrefix = null, Action? initializer = null, int? maxQueued = null)
        : base(ValidatedName(maxWorkers, threadNamePrefix))
    {
        if (maxQueued is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxQueued), maxQueued, "maxQueued must be 0 or more, or null for an unbounded queue.");
        }

        MaxWorkers = maxWorkers ?? Math.Min(32, Environment.ProcessorCount + 4);
        MaxQueued = maxQueued;
        _initializer = initializer;
        if (maxQueued is int queued)
        {
            SetCapacity((int)Math.Min(int.MaxValue - 1, (long)MaxWorkers + queued));
        }
    }

    /// <summary>How many calls may wait beyond those running before a submit waits for room, or null when unbounded.</summary>
    public int? MaxQueued { get; }

    /// <summary>
    /// Completes when a submit would not wait for room (at once when the pool is unbounded or not full): the
    /// asynchronous way to respect <see cref="MaxQueued"/>, e.g. <c>await pool.WaitForRoomAsync(ct); pool.SubmitX(item);</c>.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting with an <see cref="OperationCanceledException"/>.</param>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken = default) => WaitForRoomAsyncCore(cancellationToken);

    /// <summary>The most worker threads this pool runs calls on at once. While a worker is blocked in a wait it cannot
    /// help with, the pool may start one more thread in its place, which exits once it is no longer needed.</summary>
    public int MaxWorkers { get; }

    /// <summary>Worker threads alive now.</summary>
    public int WorkerCount => Volatile.Read(ref _threadCount);

    /// <summary>Worker threads alive and parked, waiting for work.</summary>
    public int IdleWorkerCount => Volatile.Read(ref _parkedCount);

    /// <summary>Calls queued and not yet picked up by a worker.</summary>
    public int QueuedCount
    {
        get
        {
            int count = _shared.Count;
            foreach (PoolWorker worker in _workers)
            {
                count += worker.Own.Count + (Volatile.Read(ref worker.RunNext) is null ? 0 : 1);
            }

            return count;
        }
    }

    /// <summary>Before user callbacks run on a worker: its run-next call must not wait behind user code, so it moves to where others can take it.</summary>
    internal static void BeforeUserCode()
    {
        if (PoolWorker.Current is { RunNext: not null } worker && Interlocked.Exchange(ref worker.RunNext, null) is { } item)
        {
            worker.Own.PushNewest(item);
            worker.Pool.RequestWorker();
        }
    }

    /// <summary>Runs a call on the current thread (a worker, or a helping worker).</summary>
    internal void Run(IWorkItem item)
    {
        if (BrokenReason is { } broken)
        {
            item.Fail(broken);
        }
        else
        {
            item.Execute();
        }
    }

    /// <summary>
    /// Takes work for <paramref name="taker"/>: a continuation (unless it is the roots' turn), a root (through the root
    /// gate, which a <paramref name="helping"/> worker does not pass: it adds no thread), a continuation, then another
    /// worker's work.
    /// </summary>
    internal IWorkItem? TakeShared(PoolWorker taker, bool helping = false)
    {
        IWorkItem? item = _shared.TakeContinuation(ref taker.ContinuationsInARow, evenOnRootsTurn: false)
            ?? TakeRootThroughGate(taker, helping)
            ?? _shared.TakeContinuation(ref taker.ContinuationsInARow, evenOnRootsTurn: true);
        if (item is not null)
        {
            return item;
        }

        foreach (PoolWorker worker in _workers)
        {
            if (worker != taker && worker.HasStealableWork && worker.Steal() is { } stolen)
            {
                return stolen;
            }
        }

        return null;
    }

    private protected override void EnqueueCore(IWorkItem item, Future? readiedBy)
    {
        PoolWorker? worker = PoolWorker.Current;
        if (worker?.Pool != this)
        {
            if (readiedBy is null)
            {
                _shared.AddRoot(item);
                RequestWorker(forRoot: true);
                if (IsBroken)
                {
                    FailQueued();
                }

                return;
            }

            _shared.AddContinuation(item);
        }
        else if (readiedBy is null)
        {
            worker.Own.PushNewest(item);
        }
        else if (readiedBy.OwnerExecutor == this && readiedBy == ExecutionFrames.Innermost
            && Interlocked.CompareExchange(ref worker.RunNext, item, null) is null)
        {
            // Made ready by the completion of the call this worker is finishing: it runs next, right here. The worker
            // takes it as soon as that completion returns, so nobody needs waking.
            return;
        }
        else
        {
            // Made ready on a worker that has its next call already: any worker takes it before the roots.
            _shared.AddContinuation(item);
        }

        RequestWorker();
        if (IsBroken)
        {
            FailQueued();
        }
    }

    private protected override void OnShutdownCore(bool cancelFutures)
    {
        if (!cancelFutures)
        {
            return;
        }

        while (_shared.TakeAny() is { } item)
        {
            item.Future.Cancel();
        }

        foreach (PoolWorker worker in _workers)
        {
            while (worker.Steal() is { } item)
            {
                item.Future.Cancel();
            }
        }
    }

    private void FailQueued()
    {
        BrokenExecutorException broken = BrokenReason!;
        while (_shared.TakeAny() is { } item)
        {
            item.Fail(broken);
        }

        foreach (PoolWorker worker in _workers)
        {
            while (worker.Steal() is { } item)
            {
                item.Fail(broken);
            }
        }
    }

    private static string ValidatedName(int? maxWorkers, string? threadNamePrefix)
    {
        if (maxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "maxWorkers must be greater than 0.");
        }

        if (threadNamePrefix is not null && string.IsNullOrWhiteSpace(threadNamePrefix))
        {
            throw new ArgumentException("threadNamePrefix must not be empty; pass null for the default.", nameof(threadNamePrefix));
        }

        return threadNamePrefix ?? $"ThreadPoolExecutor-{Interlocked.Increment(ref s_poolCount) - 1}";
    }
}
