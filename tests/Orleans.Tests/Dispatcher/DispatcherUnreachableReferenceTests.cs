using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>
/// An argument whose silo cannot be reached but is not declared dead (a silo dying): the dependent's silo keeps trying
/// to read it for <see cref="PipelinesSiloOptions.ReferenceUnreachableTimeout"/>, then reports it lost.
/// </summary>
/// <remarks>
/// An in-process silo that is killed writes itself dead into the test cluster's membership table as it goes, so the
/// survivors never see it "dying but not declared". The unreachable silo here stays up and in the cluster, and a grain
/// call filter on it rejects every read of its shards' results the way Orleans rejects messages to a silo it cannot reach.
/// </remarks>
public sealed class DispatcherUnreachableReferenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan UnreachableTimeout = TimeSpan.FromSeconds(1);

    // Far below the option's default (1 minute): ignoring the option, the dependent would still be waiting.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnArgumentOnASiloThatCannotBeReachedIsReportedLostOnceItsReadsHaveFailedForTheUnreachableTimeout()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2,
            options => options.ReferenceUnreachableTimeout = UnreachableTimeout,
            silo => silo.AddIncomingGrainCallFilter<UnreachableSilo>());
        InProcessSiloHandle reader = cluster.Silos[0];
        InProcessSiloHandle unreachable = cluster.Silos[1];
        string unreachableShard = ShardKey.For(unreachable.SiloAddress.ToParsableString(), 0);
        ICallShardGrain holder = cluster.Client.GetGrain<ICallShardGrain>(unreachableShard);
        ICallShardGrain dependentShard = cluster.Client.GetGrain<ICallShardGrain>(ShardKey.For(reader.SiloAddress.ToParsableString(), 0));
        long session = Random.Shared.NextInt64();

        // The argument's call finishes on the silo about to become unreachable; its result is held there only.
        var source = new ClusterCallId(session, 1);
        ClusterCallOutcome sourceOutcome = await Wait.Bounded(
            RunToEnd(holder, new ClusterCallRequest { CallId = source, MethodId = Args.Add, Arguments = [Args.Json(1), Args.Json(2)] }),
            "the argument's call");
        Assert.Equal(ClusterCallStatus.Succeeded, sourceOutcome.Status);
        Assert.Equal(unreachable.SiloAddress.ToString(), sourceOutcome.Silo);

        UnreachableSilo.Begin(unreachable.SiloAddress);
        try
        {
            // The dependent runs on the other silo and reads its argument from the unreachable one: every read fails in transit.
            string key = $"unreachable-{Guid.NewGuid():N}";
            var dependent = new ClusterCallId(session, 2);
            ClusterArgument reference = new() { Reference = source, ReferenceShard = unreachableShard };
            var sent = Stopwatch.StartNew();
            ClusterCallOutcome outcome = await Bounded(
                RunToEnd(dependentShard, new ClusterCallRequest { CallId = dependent, MethodId = Args.CountRun, Arguments = [Args.Json(key), reference] }),
                "the dependent whose argument cannot be reached");
            TimeSpan took = sent.Elapsed;
            output.WriteLine($"The dependent ended {outcome} {took.TotalSeconds:F1} s after it was sent; {UnreachableSilo.Rejected} reads were rejected.");

            Assert.Equal(ClusterCallStatus.ArgumentLost, outcome.Status);
            Assert.Equal(1, outcome.ArgumentIndex);
            Assert.Equal(ClusterCallLostReason.SiloLost, outcome.LostReason);
            Assert.Equal(0, Hooks.RunCount(key));
            Assert.True(UnreachableSilo.Rejected > 1, $"Only {UnreachableSilo.Rejected} read was tried.");
            Assert.True(took >= UnreachableTimeout, $"Reported lost after {took.TotalSeconds:F2} s, before its reads had failed for {UnreachableTimeout.TotalSeconds} s.");
            var lost = Assert.IsType<ClusterCallLostException>(ClusterExceptions.ToException(outcome, dependent, Args.CountRun));
            Assert.Equal(ClusterCallLostReason.SiloLost, lost.Reason);
            Assert.Equal(1, lost.ArgumentIndex);
        }
        finally
        {
            UnreachableSilo.End();
        }

        // It was the option, not membership: the silo is still in the cluster, and its shard still holds the result.
        SiloView view = await Wait.Bounded(
            cluster.Client.GetGrain<IClusterViewGrain>(ShardKey.View(reader.SiloAddress.ToParsableString())).Watch(0, TimeSpan.Zero),
            "the reader's view");
        Assert.Contains(unreachable.SiloAddress.ToParsableString(), view.Silos.Select(s => s.Address));
        Assert.True(await TestClusters.IsHeldAsync(cluster, new HeldCall(source, unreachableShard)));
    }

    /// <summary>Sends the Run and waits (in polls well within Orleans' response timeout) until the shard reports the call done.</summary>
    private static async Task<ClusterCallOutcome> RunToEnd(ICallShardGrain shard, ClusterCallRequest request)
    {
        TimeSpan poll = TimeSpan.FromSeconds(2);
        ClusterCallOutcome outcome = await shard.Run(request, poll);
        while (!outcome.IsDone)
        {
            outcome = await shard.Wait(request.CallId, poll, returnResult: false);
        }

        return outcome;
    }

    private static async Task<T> Bounded<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not end within {Bound.TotalSeconds} s (ReferenceUnreachableTimeout is {UnreachableTimeout.TotalSeconds} s).");
        }
    }

    /// <summary>
    /// On the silo named by <see cref="Begin"/>, rejects every shard-to-shard read of a result as Orleans rejects a message
    /// to a silo it cannot reach (a transient failure); everything else, and every other silo, goes through.
    /// </summary>
    private sealed class UnreachableSilo(ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        private static SiloAddress? s_unreachable;
        private static int s_rejected;

        public static int Rejected => Volatile.Read(ref s_rejected);

        public static void Begin(SiloAddress silo)
        {
            Volatile.Write(ref s_rejected, 0);
            Volatile.Write(ref s_unreachable, silo);
        }

        public static void End() => Volatile.Write(ref s_unreachable, null);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (silo.SiloAddress.Equals(Volatile.Read(ref s_unreachable))
                && context.InterfaceMethod.Name == nameof(ICallShardGrain.ReadForDependent))
            {
                Interlocked.Increment(ref s_rejected);
                throw new SiloUnavailableException($"The target silo {silo.SiloAddress} cannot be reached (injected by the test).");
            }

            return context.Invoke();
        }
    }
}
