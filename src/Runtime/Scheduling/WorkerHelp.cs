using System;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines.Scheduling;

/// <summary>
/// The run-time deadlock defusal, used by every blocking wait (<c>GetResult</c>, <c>Wait</c>, <c>Futures.Wait</c>,
/// <c>AsCompleted</c>, <c>Map</c> enumeration, <c>Shutdown</c>). A thread that blocks while it is a worker of a
/// <see cref="ThreadPoolExecutor"/> would, if every worker did the same, leave nobody to run the work they wait for.
/// So a blocked worker runs that work itself: the awaited futures first when they are ready, then its own newest
/// work (what the blocked call just submitted, newest first: the awaited subtree), then the pool's other work.
/// </summary>
/// <remarks>
/// Helping nests: a helped call may block and help in turn. Past <see cref="MaxNesting"/> levels the worker stops
/// helping and blocks, and while it is blocked the pool may start one extra worker in its place (as the .NET thread
/// pool injects threads for blocked ones), so the stack stays bounded and progress never depends on the blocked one.
/// </remarks>
internal static class WorkerHelp
{
    /// <summary>How deep helped calls may nest on one worker's stack.</summary>
    internal const int MaxNesting = 32;

    [ThreadStatic]
    private static int t_nesting;

    /// <summary>
    /// Waits until <c>isDone(state)</c> holds or the deadline passes, helping the current pool meanwhile.
    /// <c>block(state, ms)</c> sleeps up to ms (-1: forever) or until the condition may hold.
    /// </summary>
    public static bool WaitUntil<TState>(TState state, Func<TState, bool> isDone, Preferred preferred, Deadline deadline, Func<TState, int, bool> block)
    {
        // Completions deferred on this thread (a deep inline chain) may be what we wait for: finish them first.
        Future.RunDeferredCompletions();
        PoolWorker? worker = PoolWorker.Current;
        while (!isDone(state))
        {
            if (worker is not null && t_nesting < MaxNesting && TryHelp(worker, preferred))
            {
                continue;
            }

            int remaining = deadline.RemainingMilliseconds;
            if (remaining == 0)
            {
                return isDone(state);
            }

            Block(state, isDone, preferred, remaining, block, worker);
        }

        return true;
    }

    private static void Block<TState>(TState state, Func<TState, bool> isDone, Preferred preferred, int milliseconds, Func<TState, int, bool> block, PoolWorker? worker)
    {
        // A call that blocks on one future says so on that future, so a shutdown from inside that future's call does
        // not wait for this call (it cannot finish first). Waits on many futures carry their caller themselves.
        BlockedCall? marker = preferred.Single is { } awaited && ExecutionFrames.Innermost is { } caller && awaited != caller
            ? new BlockedCall(caller)
            : null;
        marker?.Register(preferred.Single!);
        worker?.Pool.EnterBlocked();
        try
        {
            if (!isDone(state))
            {
                block(state, milliseconds);
            }
        }
        finally
        {
            worker?.Pool.ExitBlocked();
            marker?.Unregister(preferred.Single!);
        }
    }

    private static bool TryHelp(PoolWorker worker, Preferred preferred)
    {
        ThreadPoolExecutor pool = worker.Pool;
        IWorkItem? item = preferred.FindRunnable(pool);
        if (item is not null)
        {
            // Usually the call the waiter just submitted: take its queue entry too, rather than leave a stale one.
            Interlocked.CompareExchange(ref worker.RunNext, null, item);
            worker.Own.RemoveIfNewest(item);
        }
        else
        {
            item = worker.TakeOwn() ?? pool.TakeShared(worker, helping: true);
            if (item is null)
            {
                return false;
            }
        }

        t_nesting++;
        try
        {
            pool.Run(item);
        }
        finally
        {
            t_nesting--;
        }

        return true;
    }

    /// <summary>The futures a wait is for, tried first when they are ready and queued on the waiting worker's pool.</summary>
    internal readonly struct Preferred
    {
        // A long list is scanned from the front only this far per help step: waits on a million futures stay linear.
        private const int ScanLimit = 64;

        public Preferred(Future single) => Single = single;

        public Preferred(IReadOnlyList<Future> many) => Many = many;

        public Future? Single { get; }

        public IReadOnlyList<Future>? Many { get; }

        public IWorkItem? FindRunnable(ThreadPoolExecutor pool)
        {
            if (Single is not null)
            {
                return Runnable(Single, pool);
            }

            if (Many is not null)
            {
                int scanned = 0;
                for (int i = 0; i < Many.Count && scanned < ScanLimit; i++)
                {
                    Future future = Many[i];
                    if (future.IsDone)
                    {
                        continue;
                    }

                    scanned++;
                    if (Runnable(future, pool) is { } item)
                    {
                        return item;
                    }
                }
            }

            return null;
        }

        private static IWorkItem? Runnable(Future future, ThreadPoolExecutor pool) =>
            future.OwnerExecutor == pool && future is IWorkItem { IsReady: true } item && future.State == FutureState.Pending
                ? item
                : null;
    }

    /// <summary>Marks a call blocked on a future (see <see cref="Future.PendingDependents"/>).</summary>
    private sealed class BlockedCall(Future caller) : IFutureContinuation, IWaitingCall
    {
        public Future? WaitingCall { get; } = caller;

        public void Register(Future awaited) => awaited.AddContinuation(this);

        public void Unregister(Future awaited) => awaited.RemoveContinuation(this);

        public void OnFutureCompleted(Future future)
        {
        }
    }
}
