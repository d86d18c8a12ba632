using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClusterSample;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>
/// Real silo processes with Redis membership (<see cref="ProcessCluster"/>): the first silo killed mid-run, a silo joining
/// under load, and every silo restarted in turn under a steady stream of calls. <c>PIPELINES_CLUSTER_SOAK=1</c> runs them longer.
/// </summary>
public sealed class ProcessClusterTests(ITestOutputHelper output)
{
    private static readonly bool s_soak = Environment.GetEnvironmentVariable("PIPELINES_CLUSTER_SOAK") == "1";

    [Fact]
    public async Task KillingTheFirstSiloOfARedisClusterMidPipelineLosesNothingAndClientsGoOnThroughTheMembershipTable()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(3, output);
        await using var executor = new OrleansExecutor(cluster.Client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) });
        await TestClusters.WaitForSilosAsync(executor.Dispatcher, 3);

        // The sample's Merkle tree: leaves and inner nodes may run again (Retries = 3), so calls lost with the silo run
        // again and results lost with it are recomputed; inner nodes read their children silo to silo.
        int leaves = s_soak ? 256 : 96;
        List<Future<string>> leafFutures = Enumerable.Range(0, leaves).Select(i => executor.SubmitDigestChunk(i, 30)).ToList();
        List<Future<string>> level = leafFutures;
        while (level.Count > 1)
        {
            level = Enumerable.Range(0, (level.Count + 1) / 2)
                .Select(i => 2 * i + 1 < level.Count ? executor.SubmitCombine(level[2 * i], level[2 * i + 1]) : level[2 * i])
                .ToList();
        }

        Future<string> root = level[0];
        await WaitUntil(() => leafFutures.Count(f => f.IsDone) >= leaves * 2 / 5, "2/5 of the leaves");

        // silo-A is the first silo: the one localhost clustering keeps the membership table on. Here the table is in Redis.
        SiloHandle first = cluster.Silos[0];
        var clock = Stopwatch.StartNew();
        cluster.Kill(first);
        string digest = await Wait.Bounded(root.AsTask(), "the root after the kill");
        cluster.Log($"root after {clock.Elapsed.TotalSeconds:F1} s from the kill; {executor.GetStatistics()}");
        Assert.Equal(ClusterSample.Jobs.LocalRoot(leaves), digest);

        // The client dropped the dead silo from its placement, and goes on with the others.
        await WaitUntil(() => executor.Dispatcher.Placement.Silos.All(s => s.Name != first.Address), "the client to drop the dead silo");
        List<Future<int>> after = Enumerable.Range(0, 40).Select(i => ClusterSample.JobsStubs.SubmitAdd(executor, i, i)).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => 2 * i), await Task.WhenAll(after.Select(f => Wait.Bounded(f.AsTask(), "a call after the kill"))));

        // A client that connects now finds the live gateways in the membership table (the dead one is marked dead there).
        using IHost second = await cluster.StartClientHostAsync();
        await using var other = new OrleansExecutor(second.Services.GetRequiredService<IClusterClient>());
        List<Future<int>> fresh = Enumerable.Range(0, 40).Select(i => ClusterSample.JobsStubs.SubmitAdd(other, i, 1)).ToList();
        Assert.Equal(Enumerable.Range(1, 40), await Task.WhenAll(fresh.Select(f => Wait.Bounded(f.AsTask(), "a call of a new client"))));
        Assert.DoesNotContain(other.Dispatcher.Placement.Silos, s => s.Name == first.Address);
        Assert.Equal(2, other.GetStatistics().SucceededBySilo.Count);
    }

    [Fact]
    public async Task ARollingRestartOfEverySiloUnderASteadyStreamOfCallsLosesNoCallAndNoResult()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(3, output);
        await using var executor = new OrleansExecutor(cluster.Client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) });
        await TestClusters.WaitForSilosAsync(executor.Dispatcher, 3);

        // A steady stream of the sample's calls that may not run again (no Retries): Work holds a thread for 20 ms, Add
        // takes Work's future (read silo to silo). (This project's own Jobs has methods of the same names: the sample's
        // stubs are named by their class.) Every 10th Work result is kept unread to the end: it must survive its silo's restart.
        using var stop = new CancellationTokenSource();
        var pairs = new List<(int Value, Future<int> Work, Future<int> Plus)>();
        Task stream = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                Future<int> work = ClusterSample.JobsStubs.SubmitWork(executor, i, 20);
                Future<int> plus = i % 10 == 0 ? work : ClusterSample.JobsStubs.SubmitAdd(executor, work, 1);
                lock (pairs)
                {
                    pairs.Add((i, work, plus));
                }

                // About 8 calls in flight: a steady load, not a backlog.
                while (!stop.IsCancellationRequested && PendingCount(pairs) > 8)
                {
                    await Task.Delay(2);
                }
            }
        });

        int restarts = s_soak ? 2 : 1;
        string[] originals = [.. cluster.Silos.Select(s => s.Name)];
        for (int round = 0; round < restarts; round++)
        {
            foreach (SiloHandle old in cluster.Silos.Where(s => !s.Process.HasExited).ToList())
            {
                // As a deployment does it: the new silo first, then the old one stops (and drains).
                SiloHandle replacement = await cluster.StartSiloAsync($"{old.Name}'");
                await WaitUntil(() => executor.Dispatcher.Placement.Silos.Any(s => s.Name == replacement.Address), $"the client to see {replacement.Name}", stream);
                int before = Count(pairs);
                await cluster.StopAsync(old);
                cluster.Log($"{Count(pairs) - before} calls submitted while {old.Name} drained and stopped; {executor.GetStatistics()}");
                Assert.True(old.Process.ExitCode == 0, $"{old.Name} exited with {old.Process.ExitCode}: {old.Errors}");
            }
        }

        await stop.CancelAsync();
        await Wait.Bounded(stream, "the stream to stop");
        (int Value, Future<int> Work, Future<int> Plus)[] all;
        lock (pairs)
        {
            all = [.. pairs];
        }

        // No call lost: every future succeeded with its value, those kept unread too (read only now, after every silo
        // that ran them has gone).
        foreach (var (value, work, plus) in all)
        {
            if (work == plus)
            {
                Assert.Equal(value, await Wait.Bounded(work.AsTask(), "a result kept through the restarts"));
            }
            else
            {
                Assert.Equal(value + 1, await Wait.Bounded(plus.AsTask(), "a call of the stream"));
            }
        }

        OrleansExecutorStatistics stats = executor.GetStatistics();
        cluster.Log($"{all.Length} pairs, all right; {stats}; by silo: {string.Join(", ", stats.SucceededBySilo.Select(p => $"{p.Key}: {p.Value}"))}");
        Assert.Equal(0, stats.LostOutcomes);
        Assert.True(stats.SucceededBySilo.Count > originals.Length, "The replacements ran nothing.");
    }

    [Fact]
    public async Task ASiloThatJoinsARedisClusterMidRunTakesItsShareOfAUniformLoad()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(2, output);
        await using var executor = new OrleansExecutor(cluster.Client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) });
        await TestClusters.WaitForSilosAsync(executor.Dispatcher, 2);

        // A uniform load that keeps every silo busy: calls of 20 ms, 12 in flight (each silo runs 2 at a time).
        using var stop = new CancellationTokenSource();
        var calls = new List<(int Value, Future<int> Work)>();
        Task stream = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                Future<int> work = ClusterSample.JobsStubs.SubmitWork(executor, i, 20);
                lock (calls)
                {
                    calls.Add((i, work));
                }

                while (!stop.IsCancellationRequested && PendingCount(calls) >= 12)
                {
                    await Task.Delay(2);
                }
            }
        });
        await WaitUntil(() => Total(executor.GetStatistics().SucceededBySilo) >= 100, "100 calls on the first two silos", stream);

        int per = s_soak ? 1_500 : 300;
        SiloHandle joined = await cluster.StartSiloAsync("silo-C");
        var clock = Stopwatch.StartNew();
        await WaitUntil(() => executor.GetStatistics().SucceededBySilo.GetValueOrDefault(joined.Address) >= 10, $"{joined.Name} to run calls", stream);
        cluster.Log($"{joined.Name} ran 10 calls {clock.Elapsed.TotalSeconds:F2} s after it was up");

        // From now on each silo runs a third of the calls, within ±25%.
        IReadOnlyDictionary<string, long> from = executor.GetStatistics().SucceededBySilo;
        await WaitUntil(() => Total(executor.GetStatistics().SucceededBySilo) - Total(from) >= per, $"{per} more calls", stream);
        IReadOnlyDictionary<string, long> to = executor.GetStatistics().SucceededBySilo;
        await stop.CancelAsync();
        await Wait.Bounded(stream, "the stream to stop");

        Dictionary<string, long> share = cluster.Silos.ToDictionary(s => s.Address, s => to.GetValueOrDefault(s.Address) - from.GetValueOrDefault(s.Address));
        cluster.Log($"after the join: {string.Join(", ", cluster.Silos.Select(s => $"{s.Name} {share[s.Address]}"))}; {executor.GetStatistics()}");
        double even = share.Values.Sum() / 3.0;
        Assert.All(share, pair => Assert.InRange(pair.Value, 0.75 * even, 1.25 * even));

        (int Value, Future<int> Work)[] all;
        lock (calls)
        {
            all = [.. calls];
        }

        foreach (var (value, work) in all)
        {
            Assert.Equal(value, await Wait.Bounded(work.AsTask(), "a call of the stream"));
        }
    }

    private static long Total(IReadOnlyDictionary<string, long> bySilo) => bySilo.Values.Sum();

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static int PendingCount(List<(int Value, Future<int> Work, Future<int> Plus)> pairs)
    {
        Future<int>[] last;
        lock (pairs)
        {
            last = [.. pairs.TakeLast(64).Select(p => p.Plus)];
        }

        return PendingCount(last);
    }

    private static int PendingCount(List<(int Value, Future<int> Work)> calls)
    {
        Future<int>[] last;
        lock (calls)
        {
            last = [.. calls.TakeLast(64).Select(c => c.Work)];
        }

        return PendingCount(last);
    }

    /// <summary>
    /// How many of a stream's last calls are not done. A call that failed ends the stream with its exception: the stream
    /// keeps a number of calls in flight, so calls that failed at once would otherwise be submitted without bound.
    /// </summary>
    private static int PendingCount(Future<int>[] last)
    {
        int pending = 0;
        foreach (Future<int> future in last)
        {
            if (future.IsFaulted || future.IsCancelled)
            {
                throw new InvalidOperationException("A call of the stream failed; the stream stops.", future.IsCancelled ? new OperationCanceledException() : future.GetException());
            }

            pending += future.IsDone ? 0 : 1;
        }

        return pending;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; only a real hang reaches the bound. A <paramref name="stream"/> of
    /// calls that fails ends the wait with its exception.
    /// </summary>
    private static Task WaitUntil(Func<bool> condition, string what, Task? stream = null) =>
        Wait.Bounded(Task.Run(async () =>
        {
            while (!condition())
            {
                if (stream is { IsCompleted: true })
                {
                    await stream; // a failed stream throws; one that stopped cannot make the condition hold
                    throw new InvalidOperationException($"The stream of calls stopped before {what}.");
                }

                await Task.Delay(10);
            }
        }), what);
}
