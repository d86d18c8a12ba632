using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>A worker that blocks on its own pool runs queued work instead of deadlocking.</summary>
public class DeadlockDefusalTests
{
    [Fact]
    public void SingleWorkerBlockingWithGetResult()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> outer = executor.Submit(() => executor.Submit(() => 20).GetResult() + 1);
        Assert.Equal(21, outer.GetResult(Wait.Long));
    }

    [Fact]
    public void SingleWorkerBlockingWithWait()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<bool> outer = executor.Submit(() => executor.Submit(() => { }).Wait());
        Assert.True(outer.GetResult(Wait.Long));
    }

    [Fact]
    public void SingleWorkerBlockingWithFuturesWaitAndAsCompleted()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> outer = executor.Submit(() =>
        {
            List<Future<int>> children = Enumerable.Range(0, 5).Select(i => executor.Submit(() => i)).ToList();
            var (done, notDone) = Futures.Wait(children);
            return done.Count * 10 + notDone.Count;
        });
        Assert.Equal(50, outer.GetResult(Wait.Long));

        Future<int> viaAsCompleted = executor.Submit(() =>
            Futures.AsCompleted(Enumerable.Range(0, 5).Select(i => executor.Submit(() => i)).ToList()).Sum(f => f.GetResult()));
        Assert.Equal(10, viaAsCompleted.GetResult(Wait.Long));

        Future<int> viaFirstCompleted = executor.Submit(() =>
            Futures.Wait(new[] { executor.Submit(() => 1) }, ReturnWhen.FirstCompleted).Done.Count);
        Assert.Equal(1, viaFirstCompleted.GetResult(Wait.Long));
    }

    [Fact]
    public void SingleWorkerMapFromInsideThePool()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> outer = executor.Submit(() => executor.Map(i => i * 2, Enumerable.Range(1, 4)).Sum());
        Assert.Equal(20, outer.GetResult(Wait.Long));
    }

    [Fact]
    public void WaitingOnADependentThatWaitsForItsArgument()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> outer = executor.Submit(() =>
        {
            Future<int> a = executor.Submit(() => 2);
            Future<int> b = executor.SubmitMultiply(a, 10);
            return b.GetResult();
        });
        Assert.Equal(20, outer.GetResult(Wait.Long));
    }

    [Fact]
    public void NestedFanOutWhereEveryWorkerBlocksOnChildren()
    {
        using var executor = new ThreadPoolExecutor(2);
        // A tree of depth 4, fan-out 3: every inner node submits its children to the same pool and blocks on them.
        int Node(int depth)
        {
            if (depth == 0)
            {
                return 1;
            }

            List<Future<int>> children = Enumerable.Range(0, 3).Select(_ => executor.Submit(() => Node(depth - 1))).ToList();
            return children.Sum(c => c.GetResult());
        }

        List<Future<int>> roots = Enumerable.Range(0, 2).Select(_ => executor.Submit(() => Node(4))).ToList();
        Assert.All(roots, r => Assert.Equal(81, r.GetResult(Wait.Long)));
    }

    [Fact]
    public void BlockingOnAFutureRunningElsewhereStillFinishes()
    {
        // The awaited future runs on another worker; the blocked worker has nothing of it to run and must wake
        // when it completes.
        using var executor = new ThreadPoolExecutor(2);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<int> slow = executor.Submit(() => { started.Set(); release.Wait(Wait.Long); return 3; });
        Wait.For(started, "the slow call");
        Future<int> waiter = executor.Submit(() => slow.GetResult() + 1);
        release.Set();
        Assert.Equal(4, waiter.GetResult(Wait.Long));
    }

    [Fact]
    public void GetResultWithTimeoutInsideThePoolTimesOut()
    {
        using var executor = new ThreadPoolExecutor(1);
        var never = new Promise<int>();
        Future<bool> f = executor.Submit(() =>
        {
            try
            {
                never.Future.GetResult(TimeSpan.FromMilliseconds(20));
                return false;
            }
            catch (TimeoutException)
            {
                return true;
            }
        });
        Assert.True(f.GetResult(Wait.Long));
        never.SetResult(0);
    }
}
