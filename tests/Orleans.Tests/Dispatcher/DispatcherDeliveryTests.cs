using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>
/// The dispatcher's delivery rules against a scripted shard: what it resends, what it only asks about, and when it gives
/// up. (A real cluster rejects messages only in narrow windows while a silo dies; the kill tests cover that end to end.)
/// </summary>
public sealed class DispatcherDeliveryTests
{
    [Fact]
    public async Task ARejectedRunIsSentAgainUntilItIsDelivered()
    {
        var shard = new ScriptedShard { RejectRuns = 3 };
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the call");
        Assert.Equal(ClusterCallStatus.Succeeded, outcome.Status);
        Assert.Equal(4, shard.Runs);
        Assert.Equal(0, shard.Waits);
        Assert.Equal(3, dispatcher.Redeliveries);
    }

    [Fact]
    public async Task ARunWhoseDeliveryIsUnknownIsSentAgainAsARepeatWhileItsSiloIsInTheCluster()
    {
        var shard = new ScriptedShard { TimeOutRuns = 1 };
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the call");
        Assert.Equal(ClusterCallStatus.Succeeded, outcome.Status);
        Assert.Equal(2, shard.Runs);
        Assert.True(shard.LastRequest!.Repeat); // its shard runs it only if the first never arrived
        Assert.Equal(0, shard.Waits);
        Assert.Equal(1, dispatcher.UnknownDeliveries);
    }

    [Fact]
    public async Task ARunWhoseDeliveryIsUnknownIsOnlyAskedAboutOnceItsSiloIsGone()
    {
        var shard = new ScriptedShard { TimeOutRuns = 1, WaitAnswer = ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld) };
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        shard.OnTimeOut = () => dispatcher.Placement.Apply(new SiloView { Version = 2, From = "fixed", Silos = [] }); // the silo leaves meanwhile
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the call");
        Assert.Equal(ClusterCallStatus.Lost, outcome.Status);
        Assert.Equal(1, shard.Runs);
        Assert.Equal(1, shard.Waits);
        Assert.Equal(1, dispatcher.LostCalls);
    }

    [Fact]
    public async Task ACallTheClusterKeepsRejectingIsUndeliverableAfterTheDeliveryTimeout()
    {
        var shard = new ScriptedShard { RejectRuns = int.MaxValue };
        await using var dispatcher = ScriptedShard.Dispatcher(shard, new OrleansExecutorOptions { ShardCount = 1, DeliveryTimeout = TimeSpan.FromMilliseconds(300) });
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the call");
        Assert.Equal(ClusterCallStatus.Lost, outcome.Status);
        Assert.Equal(ClusterCallLostReason.Undeliverable, outcome.LostReason);
        Assert.True(shard.Runs > 1);
    }

    [Fact]
    public async Task ADependentIsHeldBackUntilItsArgumentsCallHasFinished()
    {
        var shard = new ScriptedShard { HoldFirstRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        ClusterCallId source = dispatcher.NewCallId();
        Task<ClusterCallOutcome> first = dispatcher.RunAsync(source, "M:X", []);
        ClusterArgument reference = dispatcher.Reference(source);
        Assert.False(reference.ReferenceMayBeInFlight); // this dispatcher knows the call: strict once sent
        Task<ClusterCallOutcome> second = dispatcher.RunAsync(dispatcher.NewCallId(), "M:Y", [reference]);

        await Wait.Bounded(shard.FirstRunArrived.Task, "the first Run");
        Assert.Equal(1, shard.Runs); // the dependent waits for the first call's outcome
        shard.HoldFirstRun.TrySetResult();
        await Wait.Bounded(Task.WhenAll(first, second), "both calls");
        Assert.Equal(2, shard.Runs);
        Assert.Equal(ScriptedShard.Key, shard.LastRequest!.Arguments[0].ReferenceShard); // sent with where its argument is
    }

    [Fact]
    public async Task ACallHandedBackIsSentAgainUnderTheSameIdAndRunsOnce()
    {
        var shard = new ScriptedShard { HandBackRuns = 1 };
        await using var dispatcher = ScriptedShard.Dispatcher(shard, silos: 2); // the first silo hands it back: it drains
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the call");
        Assert.Equal(ClusterCallStatus.Succeeded, outcome.Status);
        Assert.Equal(2, shard.Runs);
        Assert.Equal(1, shard.LastRequest!.Resend); // the shard that handed it back runs a later send
        Assert.Equal(1, dispatcher.HandedBack);
    }

    [Fact]
    public async Task ADependentOfAFailedCallEndsLikeItWithoutBeingSent()
    {
        var shard = new ScriptedShard { RunAnswer = new ClusterCallOutcome { Status = ClusterCallStatus.Faulted, Error = new ClusterError { TypeName = "System.IO.IOException", Message = "upstream" } } };
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        ClusterCallId source = dispatcher.NewCallId();
        Task<ClusterCallOutcome> first = dispatcher.RunAsync(source, "M:X", []);
        ClusterCallOutcome second = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:Y", [Args.Json(1), dispatcher.Reference(source)]), "the dependent");
        Assert.Equal(ClusterCallStatus.ArgumentFaulted, second.Status);
        Assert.Equal(1, second.ArgumentIndex);
        Assert.Equal("upstream", second.Error!.Message);
        Assert.Equal(ClusterCallStatus.Faulted, (await first).Status);
        Assert.Equal(1, shard.Runs); // only the first was sent
    }

    [Fact]
    public async Task RunningACallIdTwiceIsRefused()
    {
        var shard = new ScriptedShard();
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        ClusterCallId id = dispatcher.NewCallId();
        await dispatcher.RunAsync(id, "M:X", []);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => dispatcher.RunAsync(id, "M:X", []));
        Assert.Equal("callId", error.ParamName);
    }

    [Fact]
    public async Task ATracedCallCarriesItsW3CTraceContextAndAnUntracedOneNone()
    {
        var shard = new ScriptedShard();
        await using var dispatcher = ScriptedShard.Dispatcher(shard);
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=1");
        await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", [], traceContext: context), "the traced call");
        Assert.Equal($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-01", shard.LastRequest?.TraceParent);
        Assert.Equal("vendor=1", shard.LastRequest?.TraceState);

        await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), "M:X", []), "the untraced call");
        Assert.Null(shard.LastRequest?.TraceParent);
        Assert.Null(shard.LastRequest?.TraceState);
    }
}
