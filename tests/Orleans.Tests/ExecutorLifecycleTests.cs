using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>Shutdown, registration and result lifetime of an <see cref="OrleansExecutor"/>, on a one-silo cluster of its own.</summary>
public sealed class ExecutorLifecycleTests : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster!;

    public async ValueTask InitializeAsync() => _cluster = await TestClusters.StartAsync(1);

    public async ValueTask DisposeAsync() => await _cluster!.DisposeAsync();

    [Fact]
    public async Task ShutdownWithCancelFuturesCancelsRunningCallsOnTheSiloAndPendingOnesNeverRun()
    {
        OrleansExecutor executor = TestClusters.Executor(Cluster);
        await using var threads = new ThreadPoolExecutor(maxWorkers: 1);
        string[] running = Enumerable.Range(0, 3).Select(i => $"shutdown-running-{i}-{Guid.NewGuid():N}").ToArray();
        List<Future<int>> calls = running.Select(key => executor.SubmitGated(key, 1)).ToList();
        string localGate = $"shutdown-local-{Guid.NewGuid():N}";
        string neverKey = $"shutdown-never-{Guid.NewGuid():N}";
        Future<int> pending = executor.SubmitCountRun(neverKey, threads.SubmitGated(localGate, 2)); // waits here
        foreach (string key in running)
        {
            await Wait.Bounded(Hooks.Started(key).Task, "the running calls");
        }

        ShardTotals before = Args.Totals(await executor.Dispatcher.GetShardStatsAsync());

        Task shutdown = Task.Run(() => executor.Shutdown(wait: true, cancelFutures: true));
        await Wait.Bounded(Task.WhenAll(calls.Select(c => c.AsTask()).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))), "the running calls to end");
        Assert.All(calls, call => Assert.True(call.IsCancelled, $"{call} was not cancelled."));
        Assert.Equal(3, Args.Totals(await executor.Dispatcher.GetShardStatsAsync()).CancelledWhileRunning - before.CancelledWhileRunning);
        Assert.Throws<ExecutorShutdownException>(() => executor.SubmitAdd(1, 1));

        // The call waiting here for its argument is cancelled when the argument arrives (as on a thread pool), never sent.
        Assert.False(shutdown.IsCompleted);
        Hooks.Gate(localGate).TrySetResult();
        await Wait.Bounded(shutdown, "the shutdown");
        Assert.True(pending.IsCancelled);
        Assert.Equal(0, Hooks.RunCount(neverKey));
    }

    [Fact]
    public async Task ShutdownFromInsideACallbackWaitsForTheOtherCallsAndReturns()
    {
        OrleansExecutor executor = TestClusters.Executor(Cluster);
        string gate = $"inside-{Guid.NewGuid():N}";
        Future<int> other = executor.SubmitGated(gate, 9);
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool otherWasDone = false;
        string firstGate = $"inside-first-{Guid.NewGuid():N}";
        Future<int> first = executor.SubmitGated(firstGate, 3); // gated: the callback must run on the completing thread, not on ours
        first.OnDone(_ =>
        {
            executor.Shutdown(wait: true); // waits for `other`, not for this callback's own call
            otherWasDone = other.IsDone;
            returned.TrySetResult();
        });

        Hooks.Gate(firstGate).TrySetResult();
        await Wait.Bounded(Hooks.Started(gate).Task, "the other call");
        Assert.False(returned.Task.IsCompleted);
        Hooks.Gate(gate).TrySetResult();
        await Wait.Bounded(returned.Task, "the shutdown inside the callback");
        Assert.True(otherWasDone);
        Assert.Equal(9, other.GetResult());
        Assert.Equal(3, first.GetResult());
        await Wait.Bounded(executor.ShutdownAsync(), "a second shutdown from outside");
    }

    [Fact]
    public async Task ShutdownReleasesResultsButUnreadValuesStayReadableUntilRead()
    {
        OrleansExecutor executor = TestClusters.Executor(Cluster);
        Future<int> read = executor.SubmitAdd(1, 1);
        Assert.Equal(2, await Wait.Bounded(read.AsTask(), "the read call"));
        Future<int> unread = executor.SubmitAdd(2, 2);
        Future<int> failed = executor.SubmitFail("released too");
        // Polled, not waited on: a waiter counts as a reader, and its value would come back with the outcome.
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => unread.IsDone && failed.IsDone, Wait.Long)), "the calls");
        HeldCall readId = IdOf(executor, read), unreadId = IdOf(executor, unread), failedId = IdOf(executor, failed);
        Assert.True(await TestClusters.IsHeldAsync(Cluster, unreadId));

        await Wait.Bounded(executor.DisposeAsync().AsTask(), "the shutdown");
        Assert.False(await TestClusters.IsHeldAsync(Cluster, readId));
        Assert.False(await TestClusters.IsHeldAsync(Cluster, failedId));
        Assert.True(await TestClusters.IsHeldAsync(Cluster, unreadId)); // nobody read it yet, and its future lives

        Assert.Equal(4, unread.GetResult()); // fetched after the shutdown, then released
        await Wait.Bounded(Task.Run(async () =>
        {
            while (await TestClusters.IsHeldAsync(Cluster, unreadId))
            {
                await Task.Delay(20);
            }
        }), "the release after the read");
        Assert.Equal(0, executor.GetStatistics().HeldResults);
    }

    [Fact]
    public async Task ResultsAreReleasedWhenTheirFuturesAreCollected()
    {
        await using OrleansExecutor executor = TestClusters.Executor(Cluster);
        HeldCall[] ids = RunAndForget(executor, 20);
        foreach (HeldCall id in ids)
        {
            Assert.True(await TestClusters.IsHeldAsync(Cluster, id));
        }

        // Collected futures' handles are finalized; their releases go out within the batching interval.
        await Wait.Bounded(Task.Run(async () =>
        {
            while (true)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                bool anyHeld = false;
                foreach (HeldCall id in ids)
                {
                    anyHeld |= await TestClusters.IsHeldAsync(Cluster, id);
                }

                if (!anyHeld)
                {
                    return;
                }

                await Task.Delay(50);
            }
        }), "the releases of collected futures");
        Assert.Equal(0, executor.GetStatistics().HeldResults);
    }

    [Fact]
    public async Task AddPipelinesOrleansRegistersTheExecutor()
    {
        IServiceProvider services = Cluster.Client.ServiceProvider;
        var executor = services.GetRequiredService<OrleansExecutor>();
        Assert.Same(executor, services.GetRequiredService<IExecutor>());
        Assert.Equal(3, await Wait.Bounded(((IExecutor)executor).SubmitAdd(1, 2).AsTask(), "a call through the registered executor"));
    }

    [Fact]
    public void OptionsAreCheckedNamingTheSetting()
    {
        Assert.Throws<ArgumentNullException>("client", () => new OrleansExecutor(null!));
        var shards = Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansExecutor(Cluster.Client, new OrleansExecutorOptions { ShardCount = 0 }));
        Assert.Contains("ShardCount", shards.Message, StringComparison.Ordinal);
        var name = Assert.Throws<ArgumentException>(() => new OrleansExecutor(Cluster.Client, new OrleansExecutorOptions { Name = " " }));
        Assert.Contains("Name", name.Message, StringComparison.Ordinal);
        var poll = Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansExecutor(Cluster.Client, new OrleansExecutorOptions { PollInterval = TestClusters.ResponseTimeout }));
        Assert.Contains("ResponseTimeout", poll.Message, StringComparison.Ordinal);
    }

    private static HeldCall IdOf(OrleansExecutor executor, Future future) =>
        executor.TryGetCallId(future, out ClusterCallId id) && executor.Dispatcher.ShardOf(id) is { } shard
            ? new HeldCall(id, shard)
            : throw new InvalidOperationException($"{future} has no cluster call.");

    /// <summary>Runs calls, waits for them without reading their values, and drops the futures.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HeldCall[] RunAndForget(OrleansExecutor executor, int count)
    {
        Future<int>[] futures = Enumerable.Range(0, count).Select(i => executor.SubmitAdd(i, 1)).ToArray();
        foreach (Future<int> future in futures)
        {
            Assert.True(future.Wait(Wait.Long));
        }

        return futures.Select(f => IdOf(executor, f)).ToArray();
    }
}
