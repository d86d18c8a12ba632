using System;
using Xunit;

namespace Pipelines.Tests;

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
                tail = pool.SubmitAdd(tail, 1);
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
