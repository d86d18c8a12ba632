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
