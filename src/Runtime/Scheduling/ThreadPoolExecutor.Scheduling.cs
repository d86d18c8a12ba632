using System;
using System.Threading;
using Pipelines.Scheduling;

namespace Pipelines;

// How workers find work, park and are woken, after the .NET thread pool and Go's scheduler: at most one worker
// searches (spins briefly, then parks); parked workers wait on a LIFO stack and are woken most-recent-first; a
// worker that finds work while searching passes the search on, so parallelism grows only as fast as work appears.
//
// Why no wake-up is lost. A worker is always in one of three places: running a call (it looks at every queue again
// when the call returns), searching (counted in _spinning), or parked (on the stack). Work is published (queued),
// then RequestWorker runs a full fence and reads _spinning.
//  - If it reads a searcher, that searcher has not yet stopped searching. A searcher stops by decrementing _spinning
//    (a full fence) and then looks at every queue once more, after our publish: it finds the work.
//  - If it reads none, it claims the search (0 -> 1) and hands it to a parked worker, or to a new thread. A worker
//    that parks pushes itself on the stack (under the lock), runs a full fence and then looks at every queue once
//    more. Either our pop (under the same lock) finds it on the stack, or its look comes after our publish.
//  - If there is nobody to hand the search to (every worker is running, and the pool is at its size), we give the
//    claim back: each worker that is running a call looks at the queues when it returns, and each worker on its way
//    to the stack looks after pushing itself, which is after our pop, which is after our publish.
// "Every queue" is the shared work (both of its queues: a take looks at each) and every worker's own queue and run-next
// slot. Nothing here depends on how ConcurrentQueue is built: only on "published before the fence".
public sealed partial class ThreadPoolExecutor
{
    // How long a searching worker spins before it parks: long enough to catch the next item of a burst, short enough
    // not to steal a core from the submitting thread on a small machine.
    private const int SearchSpins = 12;

    private readonly object _parkLock = new();
    private readonly object _workersLock = new();
    private volatile PoolWorker[] _workers = Array.Empty<PoolWorker>();
    private PoolWorker? _parked; // top of the parked stack; guarded by _parkLock
    private int _parkedCount;
    private int _threadCount;
    private PaddedCounter _spinning; // 0 or 1: the worker searching for work, or a claim on its way to a woken worker
    private int _blocked;        // workers blocked in a wait they cannot help with; each lets one extra thread run
    private int _exiting;
    private int _nextThreadNumber; // guarded by _workersLock

    /// <summary>
    /// Makes sure some worker will look for the work just published (see the argument above); for a root behind a
    /// closed root gate, that a root runner or the gate timer will (ThreadPoolExecutor.RootGate.cs).
    /// </summary>
    internal void RequestWorker(bool forRoot = false)
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _spinning.Value) != 0)
        {
            return;
        }

        if (forRoot && !RootsOpen(taker: null))
        {
            ArmGateTimer();
            KeepASpareWorker();
            return;
        }

        ClaimSearchFor(mayUnpark: true);
    }

    /// <summary>
    /// Takes the claim to search (if nobody holds it) for a worker to wake (<paramref name="mayUnpark"/>) or start: that
    /// worker owns the claim and searches; with neither possible, the claim is given back.
    /// </summary>
    private void ClaimSearchFor(bool mayUnpark)
    {
        if (Interlocked.CompareExchange(ref _spinning.Value, 1, 0) != 0)
        {
            return;
        }

        if ((mayUnpark && TryUnparkOne()) || TryStartWorker())
        {
            return;
        }

        Interlocked.Decrement(ref _spinning.Value);
    }

    /// <summary>A worker is about to block in a wait it cannot help with: the pool may run one more thread meanwhile.</summary>
    internal void EnterBlocked()
    {
        Interlocked.Increment(ref _blocked);
        if (HasVisibleWork())
        {
            RequestWorker();
        }
    }

    internal void ExitBlocked() => Interlocked.Decrement(ref _blocked);

    private void WorkerLoop(object? state)
    {
        var self = (PoolWorker)state!;
        PoolWorker.Current = self;
        bool searching = true; // a new worker owns the claim of whoever started it
        bool retired = false;
        try
        {
            if (!RunInitializer())
            {
                return;
            }

            while (true)
            {
                IWorkItem? item = self.TakeOwn() ?? TakeShared(self) ?? (searching ? Search(self) : null);
                if (item is not null)
                {
                    if (searching)
                    {
                        // Pass the search on: if more work is waiting, another worker wakes for it.
                        searching = false;
                        Interlocked.Decrement(ref _spinning.Value);
                        if (HasVisibleWork())
                        {
                            RequestWorker();
                        }
                    }

                    RunTaken(self, item);
                    continue;
                }

                bool searched = searching;
                if (searching)
                {
                    // Stop searching, then look once more: a publisher that saw us searching relies on this look.
                    searching = false;
                    Interlocked.Decrement(ref _spinning.Value);
                    if ((self.TakeOwn() ?? TakeShared(self)) is { } late)
                    {
                        if (HasVisibleWork())
                        {
                            RequestWorker();
                        }

                        RunTaken(self, late);
                        continue;
                    }
                }

                if (Volatile.Read(ref _exiting) != 0)
                {
                    return;
                }

                if (TryRetire(self))
                {
                    retired = true;
                    return;
                }

                if (!searched && Interlocked.CompareExchange(ref _spinning.Value, 1, 0) == 0)
                {
                    // Nobody searches: this worker does, rather than park and need a futex wake for the next item.
                    searching = true;
                    continue;
                }

                searching = Park(self);
            }
        }
        finally
        {
            if (searching)
            {
                Interlocked.Decrement(ref _spinning.Value);
            }

            PoolWorker.Current = null;
            if (!retired)
            {
                Interlocked.Decrement(ref _threadCount);
            }
        }
    }

    /// <summary>Runs what the worker took; a root's place in the root gate is freed when it returns.</summary>
    private void RunTaken(PoolWorker self, IWorkItem item)
    {
        Run(item);
        if (Volatile.Read(ref self.RootSince) != 0)
        {
            RootReturned(self);
        }
    }

    /// <summary>Spins briefly for work; null if none came.</summary>
    private IWorkItem? Search(PoolWorker self)
    {
        for (int i = 0; i < SearchSpins && Volatile.Read(ref _exiting) == 0; i++)
        {
            if (i < SearchSpins / 2)
            {
                Thread.SpinWait(32 << i);
            }
            else
            {
                Thread.Yield();
            }

            if (TakeShared(self) is { } item)
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>Parks until woken. True if woken to search (holding the claim); false if it left the stack itself.</summary>
    private bool Park(PoolWorker self)
    {
        lock (_parkLock)
        {
            self.NextParked = _parked;
            self.IsParked = true;
            self.WokenToSearch = false;
            _parked = self;
            _parkedCount++;
        }

        Interlocked.MemoryBarrier();
        if (HasVisibleWork() || Volatile.Read(ref _exiting) != 0)
        {
            lock (_parkLock)
            {
                if (self.IsParked)
                {
                    Remove(self);
                    return false;
                }
            }

            // A waker popped us first and is about to signal: take its wake (and its claim) below.
        }

        self.WaitForWake();
        return self.WokenToSearch;
    }

    /// <summary>Wakes the most recently parked worker to search. Called holding the search claim.</summary>
    private bool TryUnparkOne()
    {
        PoolWorker? worker;
        lock (_parkLock)
        {
            worker = _parked;
            if (worker is null)
            {
                return false;
            }

            _parked = worker.NextParked;
            worker.NextParked = null;
            worker.IsParked = false;
            worker.WokenToSearch = true;
            _parkedCount--;
        }

        worker.Wake();
        return true;
    }

    private bool HasVisibleWork()
    {
        if (_shared.HasContinuations || RootsCanStart())
        {
            return true;
        }

        foreach (PoolWorker worker in _workers)
        {
            if (worker.HasStealableWork)
            {
                return true;
            }
        }

        return false;
    }

    private void Remove(PoolWorker self)
    {
        if (_parked == self)
        {
            _parked = self.NextParked;
        }
        else
        {
            PoolWorker? previous = _parked;
            while (previous!.NextParked != self)
            {
                previous = previous.NextParked;
            }

            previous.NextParked = self.NextParked;
        }

        self.NextParked = null;
        self.IsParked = false;
        _parkedCount--;
    }

    /// <summary>
    /// While roots wait behind a closed root gate, keeps one worker beyond a core's worth parked, so a call made ready by
    /// a completion on another thread (an async call's continuation, a timer) wakes a sleeping thread instead of starting
    /// one. The OS runs a woken sleeper at once beside the CPU-bound roots; a thread started then waits for a time slice
    /// of its own (several milliseconds on a loaded core), which is what made a page's last step wait for its roots.
    /// The spare takes the claim to search like any started worker and parks when it finds nothing it may take.
    /// </summary>
    private void KeepASpareWorker()
    {
        if (Volatile.Read(ref _threadCount) <= Environment.ProcessorCount)
        {
            ClaimSearchFor(mayUnpark: false);
        }
    }
}
