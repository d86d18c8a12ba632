using System;
using System.Threading;
using Pipelines.Scheduling;

namespace Pipelines;

// Worker threads' lifetime: started on demand (holding the search claim), an extra one retiring once the blocked
// worker it stood in for runs again, and all of them released and joined at shutdown. TryStartWorker and TryRetire
// are steps of the wake protocol argued in ThreadPoolExecutor.Scheduling.cs: a refused start gives the claim back,
// and a retiring worker re-requests a worker for work published while it was leaving.
public sealed partial class ThreadPoolExecutor
{
    /// <summary>Starts a worker that searches first. Called holding the search claim.</summary>
    private bool TryStartWorker()
    {
        while (true)
        {
            int count = Volatile.Read(ref _threadCount);
            if (count >= MaxWorkers + Volatile.Read(ref _blocked) || Volatile.Read(ref _exiting) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threadCount, count + 1, count) == count)
            {
                break;
            }
        }

        var worker = new PoolWorker(this);
        lock (_workersLock)
        {
            // Published before it starts: a worker's own queue must be visible to HasVisibleWork from its first item.
            // Started before the lock is released: WaitForWorkersCore snapshots under the lock, so it never sees an
            // unstarted thread (joining one throws). Workers must not inherit the submitter's ExecutionContext.
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"{Name}_{_nextThreadNumber++}" };
            worker.Thread = thread;
            var workers = new PoolWorker[_workers.Length + 1];
            _workers.CopyTo(workers, 0);
            workers[^1] = worker;
            _workers = workers;
            thread.UnsafeStart(worker);
        }

        return true;
    }

    /// <summary>An extra thread started for a blocked worker leaves (uncounted) once that worker is running again.</summary>
    private bool TryRetire(PoolWorker self)
    {
        while (true)
        {
            int count = Volatile.Read(ref _threadCount);
            if (count <= MaxWorkers + Volatile.Read(ref _blocked))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threadCount, count - 1, count) == count)
            {
                break;
            }
        }

        lock (_workersLock)
        {
            _workers = Array.FindAll(_workers, w => w != self);
        }

        if (HasVisibleWork())
        {
            RequestWorker(); // work published while we were leaving must not wait for us
        }

        return true;
    }

    private protected override void OnDrainedCore()
    {
        Volatile.Write(ref _exiting, 1);
        DisposeGateTimer();
        PoolWorker? parked;
        lock (_parkLock)
        {
            parked = _parked;
            _parked = null;
            for (PoolWorker? w = parked; w is not null; w = w.NextParked)
            {
                w.IsParked = false;
                w.WokenToSearch = false;
            }

            _parkedCount = 0;
        }

        while (parked is not null)
        {
            PoolWorker next = parked.NextParked!;
            parked.Wake();
            parked = next;
        }
    }

    private protected override void WaitForWorkersCore()
    {
        // A worker can still be starting when the pool drains (its submit raced the last completion): join until no
        // thread is left, so WorkerCount is 0 when Shutdown(wait: true) or Dispose returns.
        while (Volatile.Read(ref _threadCount) > 0)
        {
            PoolWorker[] workers;
            lock (_workersLock)
            {
                workers = _workers;
            }

            bool joinedAny = false;
            foreach (PoolWorker worker in workers)
            {
                if (worker.Thread is { } thread && thread != Thread.CurrentThread)
                {
                    thread.Join();
                    joinedAny = true;
                }
            }

            if (!joinedAny)
            {
                return; // only the current thread is left (a shutdown that resumed on one of our workers)
            }
        }
    }

    private bool RunInitializer()
    {
        if (IsBroken || _initializer is null)
        {
            return !IsBroken;
        }

        try
        {
            _initializer();
            return true;
        }
        catch (Exception ex)
        {
            Break(new BrokenExecutorException($"A worker initializer of '{Name}' threw; the executor is broken.", ex));
            FailQueued();
            return false;
        }
    }
}
