using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

[Collection(SharedClusterCollection.Name)]
public sealed class DispatcherCancellationTests(SharedCluster shared)
{
    [Fact]
    public async Task AnAlreadyCancelledCallIsNeverSent()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string key = $"pre-{Guid.NewGuid():N}";
        ClusterCallOutcome outcome = await dispatcher.RunAsync(dispatcher.NewCallId(), Args.CountRun, [Args.Json(key), Args.Json(1)], cancellationToken: new CancellationToken(true));
        Assert.Equal(ClusterCallStatus.Cancelled, outcome.Status);
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task ACallCancelledWhileWaitingForItsArgumentNeverRuns()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string gate = $"upstream-{Guid.NewGuid():N}";
        string key = $"pending-{Guid.NewGuid():N}";
        ClusterCallId upstream = dispatcher.NewCallId();
        ClusterCallId dependent = dispatcher.NewCallId();
        Task<ClusterCallOutcome> first = dispatcher.RunAsync(upstream, Args.Gated, [Args.Json(gate), Args.Json(7)]);
        using var cancel = new CancellationTokenSource();
        Task<ClusterCallOutcome> second = dispatcher.RunAsync(dependent, Args.CountRun, [Args.Json(key), dispatcher.Reference(upstream)], cancellationToken: cancel.Token);

        await Wait.Bounded(Hooks.Started(gate).Task, "the upstream call");
        await cancel.CancelAsync();
        Assert.Equal(ClusterCallStatus.Cancelled, (await Wait.Bounded(second, "the cancelled dependent")).Status);

        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(ClusterCallStatus.Succeeded, (await Wait.Bounded(first, "the upstream call")).Status);
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task ARunningCallHasItsTokenSignalledOnTheSilo()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ShardTotals before = Args.Totals(await dispatcher.GetShardStatsAsync());
        string key = $"running-{Guid.NewGuid():N}";
        using var cancel = new CancellationTokenSource();
        ClusterCallId id = dispatcher.NewCallId();
        Task<ClusterCallOutcome> run = dispatcher.RunAsync(id, Args.WaitForCancel, [Args.Json(key)], cancellationToken: cancel.Token);

        await Wait.Bounded(Hooks.Started(key).Task, "the call to start");
        Assert.False(run.IsCompleted);
        await cancel.CancelAsync();
        ClusterCallOutcome outcome = await Wait.Bounded(run, "the cancelled call");

        Assert.Equal(ClusterCallStatus.Cancelled, outcome.Status);
        Assert.False(outcome.TimedOut);
        Assert.True(Hooks.Observed.TryGetValue(key, out bool observed) && observed);
        ShardTotals after = Args.Totals(await dispatcher.GetShardStatsAsync());
        Assert.Equal(1, after.CancelledWhileRunning - before.CancelledWhileRunning);
        Assert.IsType<OperationCanceledException>(ClusterExceptions.ToException(outcome, id, Args.WaitForCancel));
    }

    [Fact]
    public async Task ACallTimeoutCancelsTheRunningCallOnTheSilo()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string key = $"timeout-{Guid.NewGuid():N}";
        ClusterCallOutcome outcome = await Wait.Bounded(
            dispatcher.RunAsync(dispatcher.NewCallId(), Args.WaitForCancel, [Args.Json(key)], timeout: TimeSpan.FromMilliseconds(300)), "the timed-out call");
        Assert.Equal(ClusterCallStatus.Cancelled, outcome.Status);
        Assert.True(outcome.TimedOut);
        Assert.True(Hooks.Observed.TryGetValue(key, out bool observed) && observed);
    }

    [Fact]
    public async Task CancellingTheUpstreamCallCancelsItsDependents()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string gate = $"never-opened-{Guid.NewGuid():N}";
        string key = $"downstream-{Guid.NewGuid():N}";
        using var cancel = new CancellationTokenSource();
        ClusterCallId upstream = dispatcher.NewCallId();
        Task<ClusterCallOutcome> first = dispatcher.RunAsync(upstream, Args.Gated, [Args.Json(gate), Args.Json(1)], cancellationToken: cancel.Token);
        Task<ClusterCallOutcome> second = dispatcher.RunAsync(dispatcher.NewCallId(), Args.CountRun, [Args.Json(key), dispatcher.Reference(upstream)]);

        await Wait.Bounded(Hooks.Started(gate).Task, "the upstream call");
        await cancel.CancelAsync();
        Assert.Equal(ClusterCallStatus.Cancelled, (await Wait.Bounded(first, "the upstream call")).Status);
        ClusterCallOutcome downstream = await Wait.Bounded(second, "the dependent");
        Assert.Equal(ClusterCallStatus.ArgumentCancelled, downstream.Status);
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task CancellingRightAfterDispatchAlwaysEndsCancelledWhicheverMessageArrivesFirst()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        var runs = new Task<ClusterCallOutcome>[40];
        var sources = new CancellationTokenSource[runs.Length];
        for (int i = 0; i < runs.Length; i++)
        {
            // Never opened: if the call starts, only its token ends it.
            sources[i] = new CancellationTokenSource();
            runs[i] = dispatcher.RunAsync(dispatcher.NewCallId(), Args.Gated, [Args.Json($"race-{Guid.NewGuid():N}"), Args.Json(i)], cancellationToken: sources[i].Token);
            await sources[i].CancelAsync();
        }

        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(runs), "the cancelled calls");
        Assert.All(outcomes, o => Assert.Equal(ClusterCallStatus.Cancelled, o.Status));
        foreach (CancellationTokenSource source in sources)
        {
            source.Dispose();
        }
    }

    [Fact]
    public async Task ACallThatIgnoresItsTimeoutIsReportedLostAfterAboutTwoPolls()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster); // PollInterval 2 s
        string key = $"stubborn-{Guid.NewGuid():N}";
        ClusterCallId id = dispatcher.NewCallId();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(id, Args.IgnoreToken, [Args.Json(key)], timeout: TimeSpan.FromMilliseconds(300)), "the stubborn call");
            Assert.Equal(ClusterCallStatus.Lost, outcome.Status);
            Assert.Equal(Pipelines.Orleans.ClusterCallLostReason.Timeout, outcome.LostReason);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Gave up only after {clock.Elapsed}.");
            var lost = Assert.IsType<Pipelines.Orleans.ClusterCallLostException>(ClusterExceptions.ToException(outcome, id, Args.IgnoreToken));
            Assert.Equal(Pipelines.Orleans.ClusterCallLostReason.Timeout, lost.Reason);
            Assert.Equal(Args.IgnoreToken, lost.MethodId);
        }
        finally
        {
            Hooks.Gate(key).TrySetResult(); // free the silo's worker thread
        }
    }
}
