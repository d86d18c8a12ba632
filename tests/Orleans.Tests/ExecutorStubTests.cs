using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>The generated stubs on an <see cref="OrleansExecutor"/>: the same code as on a thread pool, the same results.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ExecutorStubTests(SharedCluster shared)
{
    [Fact]
    public async Task StubsRoundTripValuesRecordsNullsAndArrays()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        Assert.Equal(5, await Wait.Bounded(executor.SubmitAdd(2, 3).AsTask(), "Add"));
        Assert.Equal(42, executor.SubmitAdd(40, 2).GetResult(Wait.Long));

        var order = new Order("ada", [new Point(1, 2), new Point(3, 4)], null);
        Assert.Equal(new OrderSummary("ada", 2, new Point(3, 4), 0m), await Wait.Bounded(executor.SubmitSummarize(order).AsTask(), "Summarize"));
        Assert.Equal(new Point(20, -30), await Wait.Bounded(executor.SubmitScale(new Point(2, -3), 10).AsTask(), "Scale"));
        Assert.Null(await Wait.Bounded(executor.SubmitEcho(null).AsTask(), "Echo"));
        Assert.Equal(10, await Wait.Bounded(executor.SubmitSum([1, 2, 3, 4]).AsTask(), "Sum"));

        // A collection of futures is gathered here, then sent as one array.
        Future<int>[] parts = [executor.SubmitAdd(1, 1), executor.SubmitAdd(2, 2)];
        Assert.Equal(6, await Wait.Bounded(executor.SubmitSum(parts).AsTask(), "Sum of futures"));

        // Then… stubs run on the source future's executor.
        Future<int> then = executor.SubmitAdd(1, 2).ThenAdd(10).ThenAdd(100);
        Assert.Same(executor, then.Executor);
        Assert.Equal(113, await Wait.Bounded(then.AsTask(), "Then chain"));
    }

    [Fact]
    public async Task ARemoteExceptionKeepsItsTypeAndIsTheSameInstanceOnEveryRead()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        Future<int> failing = executor.SubmitFail("boom");
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Bounded(failing.AsTask(), "Fail"));
        Assert.Equal("boom", thrown.Message);
        Assert.Contains("Jobs.Fail", thrown.StackTrace, StringComparison.Ordinal); // the silo's stack, as the remote stack trace
        Assert.Same(thrown, failing.GetException());
        Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => failing.GetResult()));
    }

    [Fact]
    public async Task DelegatesAreRefusedNamingTheExecutor()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        Future<int> future = executor.Submit(() => 1);
        var refused = Assert.IsType<NotSupportedException>(future.GetException(Wait.Long));
        Assert.Contains(executor.Name, refused.Message, StringComparison.Ordinal);
        Assert.Contains("[Submittable]", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainOfFuturesResolvesSiloToSiloAndTheClientReadsOnlyTheLastValue()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        ShardTotals before = Args.Totals(await executor.Dispatcher.GetShardStatsAsync());
        string gate = $"chain-{Guid.NewGuid():N}";

        // The head waits for the gate, so every link is sent while its argument is still running.
        Future<int> head = executor.SubmitGated(gate, 1);
        var links = new List<Future<int>> { head };
        for (int i = 0; i < 11; i++)
        {
            links.Add(links[^1].ThenAdd(1));
        }

        Assert.All(links, link => Assert.Equal(FutureState.Running, link.State)); // all sent, none waits here
        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(12, await Wait.Bounded(links[^1].AsTask(), "the chain"));

        ShardTotals after = Args.Totals(await executor.Dispatcher.GetShardStatsAsync());
        OrleansExecutorStatistics stats = executor.GetStatistics();
        Assert.Equal(1, stats.ValuesRead); // the last link's, which the await waited for
        Assert.Equal(11, after.DependentReads - before.DependentReads);
        Assert.Equal(12, stats.CallsSent);
        if (stats.SucceededBySilo.Count > 1)
        {
            Assert.True(after.CrossSiloReads > before.CrossSiloReads, "The chain ran on two silos but no read crossed between them.");
        }
    }

    [Fact]
    public async Task AnArgumentsFailurePropagatesAsTheSameInstanceWithoutRunningTheDependents()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string gate = $"fault-{Guid.NewGuid():N}";
        Future<int> failing = executor.SubmitFailAfterGate(gate);
        Future<int> dependent = executor.SubmitCountRun(gate, failing);
        Future<int> second = dependent.ThenAdd(1);
        await Wait.Bounded(Hooks.Started(gate).Task, "the failing call");
        Hooks.Gate(gate).TrySetResult();

        var original = await Assert.ThrowsAsync<IOException>(() => Wait.Bounded(failing.AsTask(), "the failing call"));
        Assert.Same(original, await Assert.ThrowsAsync<IOException>(() => Wait.Bounded(dependent.AsTask(), "the dependent")));
        Assert.Same(original, await Assert.ThrowsAsync<IOException>(() => Wait.Bounded(second.AsTask(), "the dependent's dependent")));
        Assert.Equal(0, Hooks.RunCount(gate));
    }

    [Fact]
    public async Task MixedGraphsPassValuesBetweenAThreadPoolAndTheCluster()
    {
        await using OrleansExecutor cluster = TestClusters.Executor(shared.Cluster);
        await using var threads = new ThreadPoolExecutor(maxWorkers: 2);

        Future<int> local = threads.SubmitAdd(10, 10);             // thread pool
        Future<int> remote = cluster.SubmitAdd(local, 1);          // its value goes to the cluster
        Future<int> back = threads.SubmitAdd(remote, 100);         // and the cluster's comes back
        Future<int> again = cluster.SubmitAdd(back, remote);       // both kinds as arguments of one call
        Assert.Equal(121, await Wait.Bounded(back.AsTask(), "thread pool -> cluster -> thread pool"));
        Assert.Equal(142, await Wait.Bounded(again.AsTask(), "mixed arguments"));

        // A cluster failure reaches a thread-pool dependent as the same instance, and the other way round.
        Future<int> failing = cluster.SubmitFail("from the cluster");
        Future<int> downstream = threads.SubmitAdd(failing, 1);
        var original = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Bounded(failing.AsTask(), "Fail"));
        Assert.Same(original, await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Bounded(downstream.AsTask(), "thread-pool dependent")));

        var localFailure = new ArgumentException("from the thread pool");
        Future<int> localFailing = threads.Submit(new Func<int>(() => throw localFailure));
        Future<int> remoteDependent = cluster.SubmitAdd(localFailing, 1);
        Assert.Same(localFailure, await Assert.ThrowsAsync<ArgumentException>(() => Wait.Bounded(remoteDependent.AsTask(), "cluster dependent")));
    }

    [Fact]
    public async Task FuturesOfAnotherOrleansExecutorAreSentAsValues()
    {
        await using OrleansExecutor first = TestClusters.Executor(shared.Cluster);
        await using OrleansExecutor second = TestClusters.Executor(shared.Cluster);
        Future<int> a = first.SubmitAdd(1, 2);
        Future<int> b = second.SubmitAdd(a, 3);
        Assert.Equal(6, await Wait.Bounded(b.AsTask(), "across executors"));
    }

    [Fact]
    public async Task FuturesWaitAndAsCompletedWorkOnClusterFutures()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        List<Future<int>> futures = Enumerable.Range(0, 24).Select(i => executor.SubmitWork(i % 3 * 20, i)).ToList();
        var (done, notDone) = Futures.Wait(futures, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Empty(notDone);
        Assert.Equal(futures.Count, done.Count);

        var seen = new HashSet<int>();
        foreach (Future<int> future in Futures.AsCompleted(futures, Wait.Long))
        {
            Assert.True(seen.Add(future.GetResult()));
        }

        Assert.Equal(Enumerable.Range(0, 24), seen.Order());

        var more = Enumerable.Range(0, 8).Select(i => executor.SubmitAdd(i, i)).ToList();
        var values = new List<int>();
        await foreach (Future<int> future in Futures.AsCompletedAsync(more, Wait.Long))
        {
            values.Add(await future);
        }

        Assert.Equal(Enumerable.Range(0, 8).Select(i => 2 * i), values.Order());
    }

    [Fact]
    public async Task AMethodWithRetriesRunsAgainAfterItThrows()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string key = $"flaky-{Guid.NewGuid():N}";
        Assert.Equal(3, await Wait.Bounded(executor.SubmitFlaky(key, 2).AsTask(), "Flaky"));
        Assert.Equal(3, Hooks.RunCount(key));

        string hopeless = $"hopeless-{Guid.NewGuid():N}";
        var last = await Assert.ThrowsAsync<IOException>(() => Wait.Bounded(executor.SubmitFlaky(hopeless, 10).AsTask(), "Flaky"));
        Assert.Equal("flaky run 4", last.Message); // one run and three retries
    }
}
