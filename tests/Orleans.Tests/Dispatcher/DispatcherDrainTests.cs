using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>A silo asked to stop drains: running calls finish, waiting ones go elsewhere, held results move; nothing is lost.</summary>
public sealed class DispatcherDrainTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ASiloThatStopsFinishesItsRunningCallsHandsBackWaitingOnesAndMovesItsResults()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2);
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(cluster);
        await TestClusters.WaitForSilosAsync(dispatcher, 2);
        InProcessSiloHandle leaving = cluster.Silos[1];
        string leavingId = leaving.SiloAddress.ToString();

        // Results held on both silos and never read; Add may not run again, so they can only be moved, not recomputed.
        var held = Enumerable.Range(0, 16).Select(i => (Id: dispatcher.NewCallId(), Value: i)).ToList();
        ClusterCallOutcome[] heldOutcomes = await Wait.Bounded(Task.WhenAll(held.Select(h => dispatcher.RunAsync(h.Id, Args.Add, [Args.Json(h.Value), Args.Json(1)]))), "the held results");
        Assert.All(heldOutcomes, o => Assert.Equal(ClusterCallStatus.Succeeded, o.Status));
        int heldOnLeaving = held.Count(h => dispatcher.SiloOf(h.Id) == leavingId);
        Assert.InRange(heldOnLeaving, 1, held.Count - 1);

        // Calls that hold a thread until their gate opens: each silo runs 4 (its MaxConcurrentCalls) and holds the rest of
        // its share waiting for a thread.
        string gate = $"drain-{Guid.NewGuid():N}";
        var gated = Enumerable.Range(0, 16).Select(i =>
        {
            ClusterCallId id = dispatcher.NewCallId();
            string key = $"{gate}-{i}";
            return (Id: id, Key: key, Value: i, Run: dispatcher.RunAsync(id, Args.Blocked, [Args.Json(key), Args.Json(i)], returnResult: true));
        }).ToList();
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => gated.Count(g => Hooks.Started(g.Key).Task.IsCompleted) == 8, Wait.Long)), "8 gated calls to start");
        int onLeaving = gated.Count(g => dispatcher.SiloOf(g.Id) == leavingId); // about half: windows follow what each silo did before
        Assert.InRange(onLeaving, 5, 11);

        // The drain hands back the calls waiting for a thread there: they never ran, and go to the other silo.
        Task stop = cluster.StopSiloAsync(leaving);
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => dispatcher.HandedBack >= onLeaving - 4, Wait.Long)), "the waiting calls to be handed back");
        Assert.False(stop.IsCompleted, "The silo stopped while calls were still running on it.");
        foreach (var call in gated)
        {
            Hooks.Gate(call.Key).TrySetResult();
        }

        ClusterCallOutcome[] outcomes = await Wait.Bounded(Task.WhenAll(gated.Select(g => g.Run)), "the gated calls");
        for (int i = 0; i < gated.Count; i++)
        {
            Assert.Equal(gated[i].Value, Args.Read<int>(outcomes[i]));
            Assert.Equal(1, Hooks.RunCount(gated[i].Key)); // none ran twice, none was lost
        }

        await Wait.Bounded(stop, "the silo's graceful stop");
        Assert.Equal(onLeaving - 4, dispatcher.HandedBack);

        // Every held result is still there: those on the leaving silo moved before it went, the results of the four calls
        // that finished there during the drain too.
        Assert.Equal(heldOnLeaving + 4, dispatcher.Moved);
        foreach (var (id, value) in held)
        {
            Assert.NotEqual(leavingId, dispatcher.SiloOf(id));
            Assert.Equal(value + 1, Args.Read<int>(await Wait.Bounded(dispatcher.FetchAsync(id), "a held result")));
        }

        // A dependent of a moved result reads it where it is now, silo to silo.
        ClusterCallOutcome dependent = await Wait.Bounded(
            dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [dispatcher.Reference(held[^1].Id), Args.Json(100)], returnResult: true), "a dependent");
        Assert.Equal(held[^1].Value + 101, Args.Read<int>(dependent));
        output.WriteLine($"{heldOnLeaving} results moved, {dispatcher.HandedBack} calls handed back, 16 gated calls right.");
    }

    [Fact]
    public async Task ACallStillRunningWhenTheDrainTimeoutRunsOutIsLostWithTheSilo()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2, options => options.DrainTimeout = TimeSpan.FromSeconds(1));
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(cluster);
        await TestClusters.WaitForSilosAsync(dispatcher, 2);
        InProcessSiloHandle leaving = cluster.Silos[1];

        string gate = $"stuck-{Guid.NewGuid():N}";
        var calls = Enumerable.Range(0, 2).Select(i =>
        {
            ClusterCallId id = dispatcher.NewCallId();
            return (Id: id, Key: $"{gate}-{i}", Value: i, Run: dispatcher.RunAsync(id, Args.Gated, [Args.Json($"{gate}-{i}"), Args.Json(i)], returnResult: true));
        }).ToList();
        await Wait.Bounded(Task.WhenAll(calls.Select(c => Hooks.Started(c.Key).Task)), "both calls to start");
        var stuck = calls.Single(c => dispatcher.SiloOf(c.Id) == leaving.SiloAddress.ToString());
        var other = calls.Single(c => c.Id != stuck.Id);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Wait.Bounded(cluster.StopSiloAsync(leaving), "the stop after the drain timeout");
        output.WriteLine($"The silo stopped {clock.Elapsed.TotalSeconds:F1} s after it was asked to.");
        ClusterCallOutcome lost = await Wait.Bounded(stuck.Run, "the call left running");
        Assert.Equal(ClusterCallStatus.Lost, lost.Status); // told by the silo as it went (SiloLost), or by the shard's next activation (NotHeld)
        Assert.Contains(lost.LostReason, new[] { ClusterCallLostReason.SiloLost, ClusterCallLostReason.NotHeld });

        Hooks.Gate(other.Key).TrySetResult();
        Assert.Equal(other.Value, Args.Read<int>(await Wait.Bounded(other.Run, "the call on the other silo")));
    }
}
