using System;
using System.IO;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// A run's time limit on a process pool: the pool's <c>callTimeout</c> and the method's
/// <c>[Submittable(TimeoutMilliseconds = ms)]</c> are one limit (the shorter wins), counted by the call's own clock from
/// when its worker serves it; the pool only reacts, by stopping the worker.
/// </summary>
public sealed class TimeLimitTests
{
    [Fact]
    public void TheMethodsLimitEndsTheCallWhenItIsShorterThanThePools()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, callTimeout: TimeSpan.FromHours(1));
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> blocked = pool.SubmitBlockForeverWithinASecond(ready);
            Assert.True(blocked.Wait(Wait.Long));
            Assert.Equal(FutureState.Cancelled, blocked.State);
            Assert.True(File.Exists(ready)); // it ran, and was stopped: not cancelled before it started
            Assert.Equal(5, pool.SubmitAdd(2, 3).GetResult(Wait.Long)); // on a new worker
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void AWorkersStartUpDoesNotCountAgainstEitherLimit()
    {
        // Two calls claimed at once by two new workers, whose initializers sleep longer than either limit: a clock
        // started when a call was claimed would cancel it before its worker served it.
        using var pool = new ProcessPoolExecutor(maxWorkers: 2, callTimeout: TimeSpan.FromSeconds(2),
            initializer: JobsStubs.InitializeSlowSetUp(4_000));
        Future<int> methodLimited = pool.SubmitAddWithinTwoSeconds(2, 3);
        Future<int> poolLimited = pool.SubmitAdd(3, 4);
        Assert.Equal(5, methodLimited.GetResult(Wait.Long));
        Assert.Equal(7, poolLimited.GetResult(Wait.Long));
    }
}
