using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>Result lifetime: explicit release, the TTL for clients that never release, and disposal.</summary>
public sealed class DispatcherResultLifetimeTests : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster!;

    public async ValueTask InitializeAsync() =>
        _cluster = await TestClusters.StartAsync(1, options => options.ResultTimeToLive = TimeSpan.FromSeconds(1));

    public async ValueTask DisposeAsync() => await _cluster!.DisposeAsync();

    [Fact]
    public async Task ReleasedResultsAreDroppedAtOnce()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(Cluster, shardCount: 4);
        ClusterCallId[] ids = Enumerable.Range(0, 20).Select(_ => dispatcher.NewCallId()).ToArray();
        await Wait.Bounded(Task.WhenAll(ids.Select(id => dispatcher.RunAsync(id, Args.Add, [Args.Json(1), Args.Json(1)]))), "the calls");
        long heldBefore = Args.Totals(await dispatcher.GetShardStatsAsync()).Held;
        Assert.True(heldBefore >= 20);

        foreach (ClusterCallId id in ids)
        {
            dispatcher.Release(id);
        }

        await dispatcher.FlushReleasesAsync();
        Assert.Equal(heldBefore - 20, Args.Totals(await dispatcher.GetShardStatsAsync()).Held);
    }

    [Fact]
    public async Task UnreleasedResultsExpireAfterTheirTimeToLive()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(Cluster, shardCount: 4);
        ClusterCallId id = dispatcher.NewCallId();
        Assert.Equal(ClusterCallStatus.Succeeded, (await Wait.Bounded(dispatcher.RunAsync(id, Args.Add, [Args.Json(1), Args.Json(1)]), "the call")).Status);

        // The sweep runs every quarter TTL; wait for the shard to report it gone (bounded by the hang timeout).
        await Wait.Bounded(Task.Run(async () =>
        {
            while (Args.Totals(await dispatcher.GetShardStatsAsync()).Held > 0)
            {
                await Task.Delay(100);
            }
        }), "the result to expire");

        ClusterCallOutcome fetched = await Wait.Bounded(dispatcher.FetchAsync(id), "the fetch");
        Assert.Equal(ClusterCallStatus.Lost, fetched.Status);
        Assert.Equal(ClusterCallLostReason.NotHeld, fetched.LostReason);
    }

    [Fact]
    public async Task DisposeFlushesReleasesAndRefusesNewCalls()
    {
        var dispatcher = TestClusters.Dispatcher(Cluster, shardCount: 4);
        ClusterCallId id = dispatcher.NewCallId();
        string gate = $"dispose-{Guid.NewGuid():N}";
        Task<ClusterCallOutcome> running = dispatcher.RunAsync(id, Args.Gated, [Args.Json(gate), Args.Json(5)], returnResult: true);
        await Wait.Bounded(Hooks.Started(gate).Task, "the gated call");

        await dispatcher.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [Args.Json(1), Args.Json(1)]));

        // A call in progress still finishes.
        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(5, Args.Read<int>(await Wait.Bounded(running, "the call in progress")));
        await dispatcher.DisposeAsync(); // twice is fine
    }
}
