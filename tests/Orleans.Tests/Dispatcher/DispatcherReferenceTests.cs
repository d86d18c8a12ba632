using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>Futures as arguments: a call's argument that is another call's result goes silo to silo, never through the client.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class DispatcherReferenceTests(SharedCluster shared)
{
    [Fact]
    public async Task AChainDispatchedAtOnceResolvesSiloToSiloAndTheClientReadsOnlyTheEnd()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ShardTotals before = Args.Totals(await dispatcher.GetShardStatsAsync());

        // All links are dispatched before any finishes; each waits on the client for the one before, then goes with a reference.
        const int links = 12;
        string gate = $"chain-{Guid.NewGuid():N}";
        var ids = new List<ClusterCallId>();
        var runs = new List<Task<ClusterCallOutcome>>();
        ClusterCallId first = dispatcher.NewCallId();
        ids.Add(first);
        runs.Add(dispatcher.RunAsync(first, Args.Gated, [Args.Json(gate), Args.Json(1)]));
        for (int i = 1; i < links; i++)
        {
            ClusterCallId id = dispatcher.NewCallId();
            runs.Add(dispatcher.RunAsync(id, Args.Add, [dispatcher.Reference(ids[^1]), Args.Json(1)]));
            ids.Add(id);
        }

        await Wait.Bounded(Hooks.Started(gate).Task, "the gated head");
        Assert.All(runs, r => Assert.False(r.IsCompleted));
        Hooks.Gate(gate).TrySetResult();

        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(runs), "the chain");
        Assert.All(outcomes, o => Assert.Equal(ClusterCallStatus.Succeeded, o.Status));
        Assert.All(outcomes, o => Assert.Null(o.Result));
        Assert.Equal(links, Args.Read<int>(await dispatcher.FetchAsync(ids[^1])));

        ShardStats[] stats = await dispatcher.GetShardStatsAsync();
        ShardTotals after = Args.Totals(stats);
        Assert.Equal(1, dispatcher.ResultReads);
        Assert.Equal(1, after.ClientReads - before.ClientReads);          // only the end, by the client
        Assert.Equal(links - 1, after.DependentReads - before.DependentReads); // every intermediate, by the next link's shard

        // Where the chain's shards sit on more than one silo, some reads crossed silos.
        int silos = ids.Select(dispatcher.SiloOf).Distinct().Count();
        if (silos > 1)
        {
            Assert.True(after.CrossSiloReads > before.CrossSiloReads, "No read crossed silos although the chain spans silos.");
        }

        foreach (ClusterCallId id in ids)
        {
            dispatcher.Release(id);
        }

        await dispatcher.FlushReleasesAsync();
    }

    [Fact]
    public async Task ADiamondOfReferencesComputesTheRightValue()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ClusterCallId load = dispatcher.NewCallId();
        ClusterCallId left = dispatcher.NewCallId();
        ClusterCallId right = dispatcher.NewCallId();
        ClusterCallId combine = dispatcher.NewCallId();
        Task<ClusterCallOutcome>[] runs =
        [
            dispatcher.RunAsync(load, Args.Add, [Args.Json(10), Args.Json(5)]),
            dispatcher.RunAsync(left, Args.Add, [dispatcher.Reference(load), Args.Json(1)]),
            dispatcher.RunAsync(right, Args.Add, [dispatcher.Reference(load), Args.Json(100)]),
            dispatcher.RunAsync(combine, Args.Add, [dispatcher.Reference(left), dispatcher.Reference(right)], returnResult: true),
        ];
        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(runs), "the diamond");
        Assert.Equal(16 + 115, Args.Read<int>(outcomes[3]));
        Assert.Equal(1, dispatcher.ResultReads);
    }

    [Fact]
    public async Task AFaultedArgumentFaultsTheDependentWithoutRunningIt()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string key = $"never-{Guid.NewGuid():N}";
        ClusterCallId failing = dispatcher.NewCallId();
        ClusterCallId dependent = dispatcher.NewCallId();
        ClusterCallId second = dispatcher.NewCallId();
        Task<ClusterCallOutcome> a = dispatcher.RunAsync(failing, Args.Fail, [Args.Json("upstream")]);
        Task<ClusterCallOutcome> b = dispatcher.RunAsync(dependent, Args.CountRun, [Args.Json(key), dispatcher.Reference(failing)]);
        Task<ClusterCallOutcome> c = dispatcher.RunAsync(second, Args.CountRun, [Args.Json(key), dispatcher.Reference(dependent)]);
        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(a, b, c), "the failing chain");

        Assert.Equal(ClusterCallStatus.Faulted, outcomes[0].Status);
        Assert.Equal(ClusterCallStatus.ArgumentFaulted, outcomes[1].Status);
        Assert.Equal(1, outcomes[1].ArgumentIndex);
        Assert.Equal(ClusterCallStatus.ArgumentFaulted, outcomes[2].Status);
        Assert.Equal("upstream", outcomes[2].Error!.Message);
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task AReferenceToAReleasedResultIsReportedLostWithoutRunning()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        string key = $"released-{Guid.NewGuid():N}";
        ClusterCallId source = dispatcher.NewCallId();
        Assert.Equal(ClusterCallStatus.Succeeded, (await Wait.Bounded(dispatcher.RunAsync(source, Args.Add, [Args.Json(1), Args.Json(2)]), "source")).Status);
        ClusterArgument reference = dispatcher.Reference(source); // the shard has answered: not in flight
        Assert.False(reference.ReferenceMayBeInFlight);
        dispatcher.Release(source);
        await dispatcher.FlushReleasesAsync();

        ClusterCallOutcome fetched = await Wait.Bounded(dispatcher.FetchAsync(source), "fetch of a released result");
        Assert.Equal(ClusterCallStatus.Lost, fetched.Status);
        Assert.Equal(Pipelines.Orleans.ClusterCallLostReason.NotHeld, fetched.LostReason);

        ClusterCallId dependent = dispatcher.NewCallId();
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dependent, Args.CountRun, [Args.Json(key), reference]), "dependent");
        Assert.Equal(ClusterCallStatus.ArgumentLost, outcome.Status);
        Assert.Equal(1, outcome.ArgumentIndex);
        Assert.Equal(0, Hooks.RunCount(key));
        var lost = Assert.IsType<Pipelines.Orleans.ClusterCallLostException>(ClusterExceptions.ToException(outcome, dependent, Args.CountRun));
        Assert.Equal(1, lost.ArgumentIndex);
        Assert.IsNotAssignableFrom<BrokenExecutorException>(lost); // this call was lost; nothing is broken
    }

    [Fact]
    public async Task RandomGraphsOfReferencesWithFaultsComputeTheRightOutcomes()
    {
        bool soak = Environment.GetEnvironmentVariable("PIPELINES_CLUSTER_SOAK") == "1";
        int nodes = soak ? 5_000 : 400;
        var random = new Random(soak ? Environment.TickCount : 15);
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);

        // Node i is Add(a, b) where each argument is a constant or an earlier node; about one node in 40 throws instead.
        var ids = new ClusterCallId[nodes];
        var expected = new int?[nodes]; // null: faulted, or a faulted argument
        var runs = new Task<ClusterCallOutcome>[nodes];
        for (int i = 0; i < nodes; i++)
        {
            ids[i] = dispatcher.NewCallId();
            if (random.Next(40) == 0)
            {
                runs[i] = dispatcher.RunAsync(ids[i], Args.Fail, [Args.Json($"node {i}")]);
                continue;
            }

            var arguments = new ClusterArgument[2];
            int?[] values = new int?[2];
            for (int a = 0; a < 2; a++)
            {
                if (i > 0 && random.Next(3) > 0)
                {
                    int source = random.Next(Math.Max(0, i - 50), i);
                    arguments[a] = dispatcher.Reference(ids[source]);
                    values[a] = expected[source];
                }
                else
                {
                    int constant = random.Next(-1000, 1000);
                    arguments[a] = Args.Json(constant);
                    values[a] = constant;
                }
            }

            expected[i] = values[0] is int x && values[1] is int y ? unchecked(x + y) : null;
            runs[i] = dispatcher.RunAsync(ids[i], Args.Add, arguments, returnResult: true);
        }

        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(runs), $"a random graph of {nodes} calls");
        for (int i = 0; i < nodes; i++)
        {
            if (expected[i] is int value)
            {
                Assert.Equal(value, Args.Read<int>(outcomes[i]));
            }
            else
            {
                Assert.True(outcomes[i].Status is ClusterCallStatus.Faulted or ClusterCallStatus.ArgumentFaulted, $"node {i}: {outcomes[i]}");
            }

            dispatcher.Release(ids[i]);
        }

        await dispatcher.FlushReleasesAsync();
    }
}
