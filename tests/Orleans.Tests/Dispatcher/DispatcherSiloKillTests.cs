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

/// <summary>Silos that die or leave mid-run: only their calls are affected, and nothing hangs.</summary>
public sealed class DispatcherSiloKillTests(ITestOutputHelper output)
{
    private static readonly bool s_soak = Environment.GetEnvironmentVariable("PIPELINES_CLUSTER_SOAK") == "1";

    [Fact]
    public async Task ASiloKilledMidBurstLosesOnlyItsOwnCallsAndNothingHangs()
    {
        int rounds = s_soak ? 5 : 1;
        for (int round = 0; round < rounds; round++)
        {
            await KillMidBurst(calls: s_soak ? 1000 : 180, dependents: s_soak ? 200 : 40);
        }
    }

    private async Task KillMidBurst(int calls, int dependents)
    {
        var deploy = System.Diagnostics.Stopwatch.StartNew();
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(3);
        output.WriteLine($"3-silo in-process cluster deployed in {deploy.Elapsed.TotalSeconds:F1} s.");
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(cluster);
        await TestClusters.WaitForSilosAsync(dispatcher, 3);
        InProcessSiloHandle victim = cluster.Silos[1];
        string victimId = victim.SiloAddress.ToString();
        bool OnVictim(ClusterCallId id) => dispatcher.SiloOf(id) == victimId; // where the dispatcher sent it (it remembers until released)

        int startedBefore = Volatile.Read(ref Hooks.WorkStarted);
        var works = new List<(ClusterCallId Id, int Value, Task<ClusterCallOutcome> Run)>();
        for (int i = 0; i < calls; i++)
        {
            ClusterCallId id = dispatcher.NewCallId();
            works.Add((id, i, dispatcher.RunAsync(id, Args.Work, [Args.Json(100), Args.Json(i)], returnResult: true)));
        }

        var adds = new List<(ClusterCallId Id, ClusterCallId Source, int Expected, Task<ClusterCallOutcome> Run)>();
        for (int i = 0; i < dependents; i++)
        {
            var source = works[i * (calls / dependents)];
            ClusterCallId id = dispatcher.NewCallId();
            adds.Add((id, source.Id, source.Value + 1, dispatcher.RunAsync(id, Args.Add, [dispatcher.Reference(source.Id), Args.Json(1)], returnResult: true)));
        }

        // Kill once the burst is well under way (a sixth of the calls started), without a sleep.
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Volatile.Read(ref Hooks.WorkStarted) - startedBefore >= calls / 6, Wait.Long)), "the burst to start");
        int placedOnVictim = works.Count(w => OnVictim(w.Id));
        Assert.InRange(placedOnVictim, 1, calls - 1); // the kill takes some of the burst's calls, not all
        DateTime killedAt = DateTime.UtcNow;
        await cluster.KillSiloAsync(victim);

        ClusterCallOutcome[] workOutcomes = await Wait.Bounded(Task.WhenAll(works.Select(w => w.Run)), "the burst after the kill");
        ClusterCallOutcome[] addOutcomes = await Wait.Bounded(Task.WhenAll(adds.Select(a => a.Run)), "the dependents after the kill");
        TimeSpan settled = DateTime.UtcNow - killedAt;

        int succeeded = 0, lost = 0;
        for (int i = 0; i < works.Count; i++)
        {
            ClusterCallOutcome outcome = workOutcomes[i];
            if (outcome.Status == ClusterCallStatus.Succeeded)
            {
                Assert.Equal(works[i].Value, Args.Read<int>(outcome));
                succeeded++;
            }
            else
            {
                Assert.Equal(ClusterCallStatus.Lost, outcome.Status);
                Assert.True(OnVictim(works[i].Id), $"Call {works[i].Id} on a surviving silo was lost: {outcome}.");
                Assert.IsType<ClusterCallLostException>(ClusterExceptions.ToException(outcome, works[i].Id, Args.Work));
                lost++;
            }
        }

        int addsLost = 0;
        for (int i = 0; i < adds.Count; i++)
        {
            ClusterCallOutcome outcome = addOutcomes[i];
            if (outcome.Status == ClusterCallStatus.Succeeded)
            {
                Assert.Equal(adds[i].Expected, Args.Read<int>(outcome));
            }
            else
            {
                Assert.True(outcome.Status is ClusterCallStatus.Lost or ClusterCallStatus.ArgumentLost, $"Dependent {adds[i].Id}: {outcome}.");
                Assert.True(OnVictim(adds[i].Id) || OnVictim(adds[i].Source), $"Dependent {adds[i].Id} lost although neither it nor its argument was on the dead silo: {outcome}.");
                addsLost++;
            }
        }

        output.WriteLine($"{calls} calls + {dependents} dependents: {succeeded} succeeded, {lost} + {addsLost} lost; " +
            $"{dispatcher.Redeliveries} redelivered, {dispatcher.UnknownDeliveries} unknown deliveries; settled {settled.TotalSeconds:F1} s after the kill.");
        Assert.True(succeeded > 0);
        Assert.True(lost <= placedOnVictim);

        // The cluster goes on: the dead silo's shards come back on the survivors.
        var after = Enumerable.Range(0, 48).Select(i => dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [Args.Json(i), Args.Json(i)], returnResult: true)).ToArray();
        ClusterCallOutcome[] afterOutcomes = await Wait.Bounded(Task.WhenAll(after), "calls after the kill");
        for (int i = 0; i < afterOutcomes.Length; i++)
        {
            Assert.Equal(2 * i, Args.Read<int>(afterOutcomes[i]));
        }
    }
}
