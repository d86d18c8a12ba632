using System;
using System.Threading;

namespace Pipelines;

/// <summary>
/// The run-time deadlock defusal. A thread that blocks while it is a worker of a pool would, if every worker
/// did the same, leave nobody to run the work they wait for. So a blocked worker runs that work itself: the
/// awaited future first when it is queued on its own pool, then anything else queued there.
/// </summary>
internal static class WorkerHelp
{
    // Each helped item may block and help again; past this depth we block plainly rather than risk the stack.
    private const int MaxNesting = 64;
    private const int MaxBackoffMilliseconds = 16;

    [ThreadStatic]
    private static int t_nesting;

    /// <summary>
    /// Waits until <c>isDone(state)</c> holds or the deadline passes, helping the current pool meanwhile
    /// (<c>preferred</c> first). <c>block(state, ms)</c> sleeps up to ms or until woken.
    /// </summary>
    public static bool WaitUntil<TState>(TState state, Func<TState, bool> isDone, Future? preferred, Deadline deadline, Func<TState, int, bool> block)
    {
        Executor? pool = Executor.CurrentWorkerPool;
        if (pool is null || t_nesting >= MaxNesting)
        {
            return BlockUntil(state, isDone, deadline, block);
        }

        t_nesting++;
        try
        {
            int backoff = 1;
            while (!isDone(state))
            {
                if ((preferred is not null && pool.TryRunInline(preferred)) || pool.TryRunOneQueued())
                {
                    backoff = 1;
                    continue;
                }

                int remaining = deadline.RemainingMilliseconds;
                if (remaining == 0)
                {
                    return isDone(state);
                }

                // Nothing runnable here: what we wait for runs elsewhere, or waits on its own arguments.
                // Sleep briefly, so that work queued meanwhile is still picked up by this worker.
                block(state, remaining < 0 ? backoff : Math.Min(remaining, backoff));
                backoff = Math.Min(backoff * 2, MaxBackoffMilliseconds);
            }

            return true;
        }
        finally
        {
            t_nesting--;
        }
    }

    private static bool BlockUntil<TState>(TState state, Func<TState, bool> isDone, Deadline deadline, Func<TState, int, bool> block)
    {
        while (!isDone(state))
        {
            int remaining = deadline.RemainingMilliseconds;
            if (remaining == 0)
            {
                return isDone(state);
            }

            block(state, remaining);
        }

        return true;
    }
}
