using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>A silo killed under an <see cref="OrleansExecutor"/>: methods that may run again lose nothing, the others fail clearly, nothing hangs.</summary>
public sealed class ExecutorSiloKillTests(ITestOutputHelper output)
{
    private const int Shards = 24;
    private static readonly bool s_soak = Environment.GetEnvironmentVariable("PIPELINES_CLUSTER_SOAK") == "1";

    [Fact]
    public async Task ASiloKilledMidBurstLosesNothingThatMayRunAgainAndNothingHangs()
    {
        int rounds = s_soak ? 3 : 1;
        for (int round = 0; round < rounds; round++)
        {
            await KillMidBurst(held: s_soak ? 150 : 30, burst: s_soak ? 600 : 120);
        }
    }

    [Fact]
    public async Task ALostCallFailsAloneWithoutBreakingTheExecutorAndRunsAgainWhenItsMethodHasRetries()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2);
        await using OrleansExecutor executor = TestClusters.Executor(cluster);
        await TestClusters.WaitForSilosAsync(executor.Dispatcher, 2);
        InProcessSiloHandle victim = cluster.Silos[1];
        bool OnVictim(Future future) =>
            executor.TryGetCallId(future, out ClusterCallId id) && executor.Dispatcher.SiloOf(id) == victim.SiloAddress.ToString();

        // One call of each kind held running on the victim; the calls placed on the other silo are let go.
        (Future<int> Future, string Key, int Value)? once = null, again = null;
        var keys = new List<string>();
        for (int i = 0; once is null || again is null; i++)
        {
            Assert.True(i < 100, "No call was placed on the victim.");
            string key = $"lost-{i}-{Guid.NewGuid():N}";
            keys.Add(key);
            bool retried = once is not null;
            Future<int> future = retried ? executor.SubmitBlockedAgain(key, i) : executor.SubmitBlocked(key, i);
            await Wait.Bounded(Hooks.Started(key).Task, "the call to start");
            if (!OnVictim(future))
            {
                Hooks.Gate(key).TrySetResult();
            }
            else if (retried)
            {
                again = (future, key, i);
            }
            else
            {
                once = (future, key, i);
            }
        }

        await cluster.KillSiloAsync(victim);
        foreach (string key in keys)
        {
            Hooks.Gate(key).TrySetResult(); // the retry's run does not wait; the victim's threads end
        }

        // The call without retries is lost, and only it: the executor is not broken.
        var lost = await Assert.ThrowsAsync<ClusterCallLostException>(() => Wait.Bounded(once.Value.Future.AsTask(), "the lost call"));
        Assert.IsNotAssignableFrom<BrokenExecutorException>(lost);
        Assert.False(executor.IsBroken);

        // The call with Retries = 1 ran again, on the survivor.
        Assert.Equal(again.Value.Value, await Wait.Bounded(again.Value.Future.AsTask(), "the retried call"));
        Assert.Equal(2, Hooks.RunCount(again.Value.Key));

        Assert.Equal(5, await Wait.Bounded(executor.SubmitAdd(2, 3).AsTask(), "a submit after the loss"));
    }

    private async Task KillMidBurst(int held, int burst)
    {
        var clock = Stopwatch.StartNew();
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(3);
        output.WriteLine($"3-silo in-process cluster deployed in {clock.Elapsed.TotalSeconds:F1} s.");
        await using OrleansExecutor executor = TestClusters.Executor(cluster, Shards);
        await executor.Dispatcher.WaitForFirstViewAsync();
        InProcessSiloHandle victim = cluster.Silos[1];
        string victimId = victim.SiloAddress.ToString();
        var placedOnVictim = new HashSet<ClusterCallId>();
        bool OnVictim(Future future)
        {
            // Where the call is (or was, for one whose attempt is gone): remembered once seen on the victim.
            if (!executor.TryGetCallId(future, out ClusterCallId id))
            {
                return false;
            }

            lock (placedOnVictim)
            {
                if (executor.Dispatcher.SiloOf(id) == victimId)
                {
                    placedOnVictim.Add(id);
                }

                return placedOnVictim.Contains(id);
            }
        }

        // Results held on the cluster and never read here: some die with the victim.
        List<Future<int>> heldAgain = Enumerable.Range(0, held).Select(i => executor.SubmitWorkAgain(0, i)).ToList(); // may run again
        List<Future<int>> heldOnce = Enumerable.Range(0, held).Select(i => executor.SubmitWork(0, i)).ToList();       // may not
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => heldAgain.Concat(heldOnce).All(f => f.IsDone), Wait.Long)), "the held results");
        Assert.All(heldAgain.Concat(heldOnce), f => Assert.Equal(FutureState.Succeeded, f.State));
        Assert.Equal(0, executor.GetStatistics().ValuesRead);
        List<Future<int>> heldOnceOnVictim = heldOnce.Where(OnVictim).ToList();

        // A burst of running calls, with dependents that read their arguments silo to silo.
        int startedBefore = Volatile.Read(ref Hooks.WorkStarted);
        List<Future<int>> once = Enumerable.Range(0, burst).Select(i => executor.SubmitWork(100, i)).ToList();
        List<Future<int>> again = Enumerable.Range(0, burst).Select(i => executor.SubmitWorkAgain(100, i)).ToList();
        List<Future<int>> againPlus = again.Select(f => executor.SubmitPlus(f, 1)).ToList();

        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Volatile.Read(ref Hooks.WorkStarted) - startedBefore >= burst / 3, Wait.Long)), "the burst to start");
        DateTime killedAt = DateTime.UtcNow;
        await cluster.KillSiloAsync(victim);

        // Dependents of the held results, sent after the kill: those whose argument died with the victim find it lost.
        List<Future<int>> heldAgainPlus = heldAgain.Select(f => executor.SubmitPlus(f, 1)).ToList();
        List<Future<int>> heldOncePlus = heldOnce.Select(f => executor.SubmitAdd(f, 1)).ToList();

        List<Future<int>> all = [.. once, .. again, .. againPlus, .. heldAgainPlus, .. heldOncePlus];
        var (_, notDone) = await Futures.WaitAsync(all, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Empty(notDone);
        TimeSpan settled = DateTime.UtcNow - killedAt;

        // Nothing that may run again is lost: retried when its outcome was unknown, recomputed when its result was lost.
        for (int i = 0; i < burst; i++)
        {
            Assert.Equal(i, again[i].GetResult());
            Assert.Equal(i + 1, againPlus[i].GetResult());
        }

        for (int i = 0; i < held; i++)
        {
            Assert.Equal(i + 1, heldAgainPlus[i].GetResult());
        }

        // The others succeed, or fail with ClusterCallLostException when they (or their argument) were on the victim.
        int lost = 0, readsLost = 0;
        for (int i = 0; i < burst; i++)
        {
            if (once[i].IsFaulted)
            {
                Assert.IsType<ClusterCallLostException>(once[i].GetException());
                Assert.True(OnVictim(once[i]), $"{once[i]} was lost on a surviving silo.");
                lost++;
            }
            else if (OnVictim(once[i]))
            {
                // It succeeded before the kill; unless its value came back with the outcome, the value died with the victim.
                try
                {
                    Assert.Equal(i, once[i].GetResult());
                }
                catch (ClusterCallLostException error)
                {
                    Assert.Equal(ClusterCallLostReason.NotHeld, error.Reason);
                    Assert.Equal(FutureState.Succeeded, once[i].State);
                    readsLost++;
                }
            }
            else
            {
                Assert.Equal(i, once[i].GetResult());
            }
        }

        int argumentsLost = 0;
        for (int i = 0; i < held; i++)
        {
            if (heldOncePlus[i].IsFaulted)
            {
                var error = Assert.IsType<ClusterCallLostException>(heldOncePlus[i].GetException());
                Assert.True(OnVictim(heldOnce[i]) || OnVictim(heldOncePlus[i]), $"{heldOncePlus[i]} failed though neither it nor its argument was on the victim: {error.Message}");
                if (error.ArgumentIndex is int index)
                {
                    Assert.Equal(0, index);
                    Assert.True(OnVictim(heldOnce[i]));
                    argumentsLost++;
                }
            }
            else
            {
                Assert.Equal(i + 1, heldOncePlus[i].GetResult());
            }
        }

        // Reading a lost value that may not be recomputed throws to the reader (every time); the future stays Succeeded.
        foreach (Future<int> future in heldOnceOnVictim)
        {
            Assert.Equal(ClusterCallLostReason.NotHeld, Assert.Throws<ClusterCallLostException>(() => future.GetResult()).Reason);
            Assert.Throws<ClusterCallLostException>(() => future.GetResult());
            Assert.Equal(FutureState.Succeeded, future.State);
        }

        // A lost value that may be recomputed is recomputed by its reader.
        foreach (Future<int> future in heldAgain.Where(OnVictim))
        {
            Assert.Equal(heldAgain.IndexOf(future), future.GetResult());
        }

        OrleansExecutorStatistics stats = executor.GetStatistics();
        output.WriteLine($"{burst} + {burst} calls, {burst} + {2 * held} dependents: {lost} lost and {readsLost} values lost (no retries), {argumentsLost} dependents of lost results (no recompute); " +
            $"settled {settled.TotalSeconds:F1} s after the kill. {stats}");
        Assert.True(heldOnceOnVictim.Count == 0 || stats.Recomputed > 0, "Results lost with the victim were not recomputed.");

        // The cluster goes on: the victim's shards come back on the survivors.
        List<Future<int>> after = Enumerable.Range(0, 48).Select(i => executor.SubmitAdd(i, i)).ToList();
        Assert.Empty((await Futures.WaitAsync(after, ReturnWhen.AllCompleted, Wait.Long)).NotDone);
        Assert.Equal(Enumerable.Range(0, 48).Select(i => 2 * i), after.Select(f => f.GetResult()));
    }
}
