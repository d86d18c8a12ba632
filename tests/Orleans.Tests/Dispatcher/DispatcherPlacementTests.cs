using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>Where calls go: spread over the silos alive now, a joining silo at once, a draining one never.</summary>
public sealed class DispatcherPlacementTests(ITestOutputHelper output)
{
    [Fact]
    public void AUniformLoadSplitsEvenlyAndASiloThatJoinsTakesItsShare()
    {
        SiloPlacement placement = NewPlacement(("a", 2), ("b", 2), ("c", 2));
        var counts = new Dictionary<string, int>();
        var inflight = new Queue<SlotLease>();

        // Calls of equal length: the oldest finishes, a new one takes its slot, many times over.
        void Run(int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                while (placement.TryAcquire() is { } lease)
                {
                    inflight.Enqueue(lease);
                    counts[lease.Silo.Address] = counts.GetValueOrDefault(lease.Silo.Address) + 1;
                }

                SlotLease done = inflight.Dequeue();
                placement.Release(done, backlog: Math.Max(0, done.Silo.Inflight - done.Silo.Capacity));
            }
        }

        Run(3000);
        AssertEven(counts, ["a", "b", "c"]);

        // A fourth silo joins: from now on it takes a quarter of the calls.
        placement.Apply(View(Silo("a", 2), Silo("b", 2), Silo("c", 2), Silo("d", 2)));
        counts.Clear();
        Run(4000);
        AssertEven(counts, ["a", "b", "c", "d"]);
    }

    [Fact]
    public void ASiloWithMoreCapacityTakesMoreCallsAndADrainingOneNone()
    {
        SiloPlacement placement = NewPlacement(("small", 1), ("big", 4));
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 50; i++)
        {
            SlotLease lease = placement.TryAcquire()!;
            counts[lease.Silo.Address] = counts.GetValueOrDefault(lease.Silo.Address) + 1;
            placement.Release(lease, backlog: 0);
            if (i % 2 == 0)
            {
                _ = placement.TryAcquire(); // half of them stay: the busier silo per unit of capacity is passed over
            }
        }

        Assert.True(counts["big"] > counts["small"], $"big {counts["big"]}, small {counts["small"]}");

        placement.Apply(View(Silo("small", 1), Silo("big", 4, draining: true)));
        Assert.All(Enumerable.Range(0, 20).Select(_ => placement.TryAcquire()).OfType<SlotLease>(), lease => Assert.Equal("small", lease.Silo.Address));
    }

    [Fact]
    public void WindowsGrowWhileAFullWindowMeetsNoBacklogAndShrinkWhileTheSiloIsBusyButNeverBelowItsCapacityPlusOne()
    {
        SiloPlacement placement = NewPlacement(("a", 2));
        ClusterSilo silo = placement.Silos.Single();
        Assert.Equal(4, silo.Window); // twice its capacity to start with

        // A window that is not full says nothing about the silo: no growth.
        placement.Release(placement.TryAcquire()!, backlog: 0);
        Assert.Equal(4, silo.Window);

        // A full window while nothing waits for a thread there: it held calls back, so it grows, one per outcome.
        var held = new Queue<SlotLease>();
        for (int i = 0; i < 10; i++)
        {
            while (placement.TryAcquire() is { } lease)
            {
                held.Enqueue(lease);
            }

            placement.Release(held.Dequeue(), backlog: 0);
        }

        Assert.Equal(14, silo.Window);

        // More waiting than the silo has threads: it shrinks, down to capacity + 1.
        for (int i = 0; i < 50; i++)
        {
            placement.Release(held.Count > 0 ? held.Dequeue() : placement.TryAcquire()!, backlog: 5);
        }

        Assert.Equal(3, silo.Window);
        placement.Release(placement.TryAcquire()!, backlog: 2); // as many waiting as it has threads: no change
        Assert.Equal(3, silo.Window);
    }

    [Fact]
    public async Task ADependentWaitingForASlotGoesBeforeCallsThatWaitedLonger()
    {
        SiloPlacement placement = NewPlacement(("a", 1));
        SlotLease[] full = [.. Enumerable.Range(0, 4).Select(_ => placement.TryAcquire()!)];
        ValueTask<SlotLease> plain = placement.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        ValueTask<SlotLease> dependent = placement.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None, dependent: true);
        placement.Release(full[0], backlog: -1);
        await Wait.Bounded(dependent.AsTask(), "the dependent");
        Assert.False(plain.IsCompleted);
        placement.Release(full[1], backlog: -1);
        await Wait.Bounded(plain.AsTask(), "the plain call");
    }

    [Fact]
    public async Task AWaitingCallGetsASlotWhenOneFreesOrASiloJoinsAndTimesOutOnlyWhileNoSiloTakesCalls()
    {
        SiloPlacement placement = NewPlacement(("a", 1));
        SlotLease[] full = [.. Enumerable.Range(0, 4).Select(_ => placement.TryAcquire()!)];
        Assert.Null(placement.TryAcquire());

        // A busy silo makes a call wait past the delivery timeout (it is only busy); a freed slot ends the wait.
        ValueTask<SlotLease> waiting = placement.AcquireAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        placement.Release(full[0], backlog: -1);
        Assert.Equal("a", (await Wait.Bounded(waiting.AsTask(), "the freed slot")).Silo.Address);

        // A silo that joins ends a wait at once.
        ValueTask<SlotLease> second = placement.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        placement.Apply(View(Silo("a", 1), Silo("b", 1)));
        Assert.Equal("b", (await Wait.Bounded(second.AsTask(), "the joined silo")).Silo.Address);

        // With no silo taking calls, a wait ends after the delivery timeout; a cancelled one at once.
        placement.Apply(View(Silo("a", 1, draining: true), Silo("b", 1, draining: true)));
        await Assert.ThrowsAsync<TimeoutException>(() => placement.AcquireAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => placement.AcquireAsync(TimeSpan.FromSeconds(30), new CancellationToken(true)).AsTask());
    }

    [Fact]
    public void ASiloThatLeavesAViewIsGoneForGoodAndItsWaitsAreAbandoned()
    {
        SiloPlacement placement = NewPlacement(("a", 1), ("b", 1));
        ClusterSilo b = placement.Silos.Single(s => s.Address == "b");
        CancellationToken waits = b.AbandonToken;
        var gone = new List<string>();
        placement.Gone += silo => gone.Add(silo.Address);

        placement.Apply(View(Silo("a", 1)));
        Assert.True(waits.IsCancellationRequested);
        Assert.True(b.IsGone);
        Assert.Equal(["b"], gone);

        placement.Apply(View(Silo("a", 1), Silo("b", 1))); // a lagging view: an address never comes back
        Assert.DoesNotContain(placement.Silos, s => s.Address == "b");
    }

    [Fact]
    public async Task ASiloThatJoinsMidRunReceivesWorkAtOnce()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2);
        await using OrleansExecutor executor = TestClusters.Executor(cluster);
        await TestClusters.WaitForSilosAsync(executor.Dispatcher, 2);

        // Calls that hold a thread until their gate opens: each silo takes 8 (4 running, 4 waiting for a thread), the
        // other 32 wait on the client.
        string gate = $"join-{Guid.NewGuid():N}";
        var calls = Enumerable.Range(0, 48).Select(i => (Key: $"{gate}-{i}", Value: i, Future: executor.SubmitBlocked($"{gate}-{i}", i))).ToList();
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => calls.Count(c => Hooks.Started(c.Key).Task.IsCompleted) == 8, Wait.Long)), "8 calls to start");

        var clock = Stopwatch.StartNew();
        InProcessSiloHandle joined = await cluster.StartAdditionalSiloAsync();
        TimeSpan started = clock.Elapsed;
        string joinedId = joined.SiloAddress.ToString();
        bool OnJoined((string Key, int Value, Future<int> Future) call) =>
            executor.TryGetCallId(call.Future, out ClusterCallId id) && executor.Dispatcher.SiloOf(id) == joinedId;
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => calls.Count(OnJoined) >= 4, Wait.Long)), "the new silo to receive calls");
        output.WriteLine($"The silo started in {started.TotalSeconds:F1} s; it had calls {(clock.Elapsed - started).TotalSeconds:F2} s later.");

        foreach (var call in calls)
        {
            Hooks.Gate(call.Key).TrySetResult();
        }

        foreach (var call in calls)
        {
            Assert.Equal(call.Value, await Wait.Bounded(call.Future.AsTask(), "a call"));
            Assert.Equal(1, Hooks.RunCount(call.Key));
        }

        Assert.True(executor.GetStatistics().SucceededBySilo.GetValueOrDefault(joinedId) >= 4);
    }

    private static void AssertEven(Dictionary<string, int> counts, string[] silos)
    {
        double even = counts.Values.Sum() / (double)silos.Length;
        Assert.All(silos, silo => Assert.InRange(counts.GetValueOrDefault(silo), 0.75 * even, 1.25 * even));
    }

    private static SiloPlacement NewPlacement(params (string Address, int Capacity)[] silos)
    {
        var placement = new SiloPlacement(ScriptedShard.Factory(new ScriptedShard()), shardsPerSilo: 2);
        placement.Apply(View([.. silos.Select(s => Silo(s.Address, s.Capacity))]));
        return placement;
    }

    private static SiloInfo Silo(string address, int capacity, bool draining = false) =>
        new() { Address = address, Name = address, Capacity = capacity, Draining = draining };

    /// <summary>A view from one source: the silos it lists are active (a silo it listed before and lists no more has left).</summary>
    private static SiloView View(params SiloInfo[] silos) => new() { Version = 1, From = "test", Silos = silos };
}
