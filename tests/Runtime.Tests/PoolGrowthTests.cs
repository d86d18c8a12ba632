using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>A burst of submits while one worker idles must still run in parallel (CPython's _adjust_thread_count).</summary>
public class PoolGrowthTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void ABurstArrivingAtOneIdleWorkerStartsMoreWorkers()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 4);
        pool.Submit(() => 0).GetResult(Hang);
        SpinWait.SpinUntil(() => pool.IdleWorkerCount == 1, Hang);

        // Every call blocks until all four run at once: with one worker this can only end by the timeout.
        using var allStarted = new CountdownEvent(4);
        var calls = Enumerable.Range(0, 4)
            .Select(_ => pool.Submit(() =>
            {
                allStarted.Signal();
                return allStarted.Wait(Hang);
            }))
            .ToList();

        Assert.All(calls, call => Assert.True(call.GetResult(Hang + Hang)));
        Assert.Equal(4, pool.WorkerCount);
    }
}

/// <summary>
/// Long chains hand each call from one worker to the next: the pattern that exposed a lost wake-up (a worker
/// leaving the idle section waited for a permit another worker could take). Many rounds, so a rare stall shows.
/// </summary>
public class ChainHandOffTests
{
    [Fact]
    public void ManyChainsOnATwoWorkerPoolNeverStall()
    {
        for (int round = 0; round < 60; round++)
        {
            var pool = new ThreadPoolExecutor(maxWorkers: 2);
            var gate = new Promise<int>();
            Future<int> tail = gate.Future;
            for (int i = 0; i < 20_000; i++)
            {
                tail = new Call1<int, int>(pool, tail, x => x + 1);
            }

            gate.SetResult(0);
            bool finished = tail.Wait(TimeSpan.FromSeconds(30));

            // A stalled pool would never drain: shut it down without waiting so the failure is reported, not hung.
            pool.Shutdown(wait: finished);
            Assert.True(finished, $"round {round}: the chain stalled (workers {pool.WorkerCount}, idle {pool.IdleWorkerCount}, queued {pool.QueuedCount})");
            Assert.Equal(20_000, tail.GetResult());
        }
    }
}
