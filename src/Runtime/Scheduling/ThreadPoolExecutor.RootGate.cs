using System;
using System.Threading;
using Pipelines.Scheduling;

namespace Pipelines;

// The root gate: how many root calls (ready at submit, taken from the shared work) run side by side. A pool sized for
// blocking work (the default is cores + 4 threads) would otherwise start that many CPU-bound roots at once, and the
// operating system would share the cores between them: every root, and so every pipeline's first result, takes several
// times longer, while calls made ready by completions wait behind them for a free core.
//
// So at most one root per core starts while the roots already running are young. A root that has run for
// YoungMilliseconds is presumed to block (I/O, a sleep, a lock) or to be long: it no longer counts, and another root may
// start beside it. Blocking work still gets up to MaxWorkers threads, one more each YoungMilliseconds; CPU-bound work
// keeps one root per core; continuations and work a call submits are never gated; a worker helping while it waits runs
// roots in place of its blocked call, adding no thread, so helping is never gated either.
//
// Why no root is stranded. A root is published, then (RequestWorker) a full fence, then the gate is read.
//  - Open: the wake protocol of ThreadPoolExecutor.Scheduling.cs hands the search to a worker, which takes it.
//  - Closed: some young root runners are running. Each clears its mark (a full fence) when its root returns and then
//    looks at every queue, after our publish; or it ages past YoungMilliseconds without returning: the gate timer fires
//    by then, because every look that finds roots behind a closed gate (this one, a take, a searcher passing its search
//    on, a worker about to park) arms it; and while roots wait it requests a worker if the gate opened, or arms itself
//    again.
// A worker that finds only gated roots parks like a worker that finds nothing: the gate is part of "visible work".
public sealed partial class ThreadPoolExecutor
{
    /// <summary>How long a root runs before it is presumed to block and stops holding its core's place.</summary>
    internal const int YoungMilliseconds = 20;

    private readonly int _rootSlots = Environment.ProcessorCount;
    private Timer? _gateTimer;
    private int _gateTimerArmed;

    /// <summary>This pool's <see cref="YoungMilliseconds"/>; tests set it to <see cref="int.MaxValue"/> to see the gate without a clock.</summary>
    internal int RootYoungMilliseconds { get; set; } = YoungMilliseconds;

    /// <summary>True when roots may start beside the young ones running now (always, when the pool is no larger than the cores).</summary>
    private bool RootsOpen(PoolWorker? taker)
    {
        if (MaxWorkers <= _rootSlots)
        {
            return true;
        }

        long now = Environment.TickCount64;
        int young = 0;
        foreach (PoolWorker worker in _workers)
        {
            long since = Volatile.Read(ref worker.RootSince);
            if (worker != taker && since != 0 && now - since < RootYoungMilliseconds && ++young >= _rootSlots)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when roots are queued and the gate lets one start; roots held back arm the gate timer.</summary>
    private bool RootsCanStart()
    {
        if (!_shared.HasRoots)
        {
            return false;
        }

        if (RootsOpen(taker: null))
        {
            return true;
        }

        ArmGateTimer();
        return false;
    }

    /// <summary>Takes a root for <paramref name="taker"/> if the gate lets it; arms the gate timer when the gate holds roots back.</summary>
    private IWorkItem? TakeRootThroughGate(PoolWorker taker, bool helping)
    {
        if (!_shared.HasRoots)
        {
            return null;
        }

        if (!helping && !RootsOpen(taker))
        {
            ArmGateTimer();
            return null;
        }

        IWorkItem? root = _shared.TakeRoot(ref taker.ContinuationsInARow);
        if (root is not null && !helping)
        {
            Interlocked.Exchange(ref taker.RootSince, Math.Max(1, Environment.TickCount64));
        }

        return root;
    }

    /// <summary>The root a worker ran returned: its place is free. A full fence, then the worker looks at every queue.</summary>
    private static void RootReturned(PoolWorker worker) => Interlocked.Exchange(ref worker.RootSince, 0);

    private void ArmGateTimer()
    {
        if (Volatile.Read(ref _gateTimerArmed) != 0 || Interlocked.CompareExchange(ref _gateTimerArmed, 1, 0) != 0)
        {
            return;
        }

        Timer timer = Volatile.Read(ref _gateTimer) ?? CreateGateTimer();
        timer.Change(Math.Min(YoungMilliseconds, RootYoungMilliseconds) / 2, Timeout.Infinite);
    }

    private Timer CreateGateTimer()
    {
        // The timer holds the pool only weakly, so a pool nobody references can still be collected.
        var timer = new Timer(
            static state =>
            {
                if (((WeakReference<ThreadPoolExecutor>)state!).TryGetTarget(out ThreadPoolExecutor? pool))
                {
                    pool.OnGateTimer();
                }
            },
            new WeakReference<ThreadPoolExecutor>(this),
            Timeout.Infinite,
            Timeout.Infinite);
        if (Interlocked.CompareExchange(ref _gateTimer, timer, null) is { } existing)
        {
            timer.Dispose();
            return existing;
        }

        return timer;
    }

    private void OnGateTimer()
    {
        Interlocked.Exchange(ref _gateTimerArmed, 0);
        if (Volatile.Read(ref _exiting) != 0 || !_shared.HasRoots)
        {
            return;
        }

        if (RootsOpen(taker: null))
        {
            RequestWorker();
        }
        else
        {
            ArmGateTimer();
        }
    }

    private void DisposeGateTimer() => Interlocked.Exchange(ref _gateTimer, null)?.Dispose();
}
