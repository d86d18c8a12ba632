using System;
using System.Threading;

namespace Pipelines.Scheduling;

/// <summary>One worker thread of a <see cref="ThreadPoolExecutor"/>: its own queue, its run-next slot, and how it parks.</summary>
internal sealed class PoolWorker
{
    [ThreadStatic]
    private static PoolWorker? t_current;

    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);

    public PoolWorker(ThreadPoolExecutor pool) => Pool = pool;

    /// <summary>The worker the current thread is, or null on any other thread.</summary>
    public static PoolWorker? Current
    {
        get => t_current;
        set => t_current = value;
    }

    public ThreadPoolExecutor Pool { get; }

    /// <summary>Work submitted by calls running on this worker.</summary>
    public WorkerDeque Own { get; } = new();

    /// <summary>
    /// A call made ready by the completion of the call this worker just ran: it runs next here, while its argument is
    /// still in cache, without a trip through the shared queue. Only this worker puts an item here; anyone may take it.
    /// </summary>
    public IWorkItem? RunNext;

    /// <summary>Continuations this worker took from the shared work since its last root (see <see cref="SharedWork.RootTurn"/>).</summary>
    public int ContinuationsInARow;

    /// <summary>
    /// When (<see cref="System.Environment.TickCount64"/>) the root this worker runs started; 0 when it runs no root taken
    /// from the shared work. Written by this worker, read by the root gate.
    /// </summary>
    public long RootSince;

    /// <summary>The next worker down the parked stack (guarded by the pool's park lock).</summary>
    public PoolWorker? NextParked;

    /// <summary>True while on the parked stack (guarded by the pool's park lock).</summary>
    public bool IsParked;

    /// <summary>Set by the waker before it signals: the worker wakes as the pool's searching worker.</summary>
    public bool WokenToSearch;

    public Thread? Thread;

    /// <summary>This worker's next item: its run-next slot, then its own newest work.</summary>
    public IWorkItem? TakeOwn() =>
        (RunNext is not null ? Interlocked.Exchange(ref RunNext, null) : null) ?? Own.TakeNewest();

    /// <summary>True if this worker holds work another worker could take.</summary>
    public bool HasStealableWork => Volatile.Read(ref RunNext) is not null || Own.Count > 0;

    /// <summary>Work another worker takes from this one: the run-next slot first (it is waiting), then the oldest own work.</summary>
    public IWorkItem? Steal() =>
        (Volatile.Read(ref RunNext) is not null ? Interlocked.Exchange(ref RunNext, null) : null) ?? Own.StealOldest();

    /// <summary>Sleeps until <see cref="Wake"/>.</summary>
    public void WaitForWake()
    {
        _wake.Wait();
        _wake.Reset();
    }

    public void Wake() => _wake.Set();
}
