using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>A shard that answers from a script.</summary>
internal sealed class ScriptedShard : ICallShardGrain
{
    private int _runs;
    private int _waits;

    /// <summary>The only shard key of <see cref="Dispatcher"/>'s one fixed silo.</summary>
    public const string Key = "0@fixed";

    public int RejectRuns { get; init; }

    /// <summary>Called as a Run times out.</summary>
    public Action? OnTimeOut { get; set; }

    /// <summary>How many Runs (after the rejected and timed-out ones) are handed back.</summary>
    public int HandBackRuns { get; init; }

    /// <summary>What a Run answers once it runs.</summary>
    public ClusterCallOutcome RunAnswer { get; init; } = new() { Status = ClusterCallStatus.Succeeded };

    public int TimeOutRuns { get; init; }

    public ClusterCallOutcome WaitAnswer { get; init; } = new() { Status = ClusterCallStatus.Succeeded };

    public TaskCompletionSource? HoldFirstRun { get; init; }

    public TaskCompletionSource FirstRunArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>The request of the last Run that arrived.</summary>
    public ClusterCallRequest? LastRequest { get; private set; }

    public int Waits => Volatile.Read(ref _waits);

    public static IGrainFactory Factory(ScriptedShard shard)
    {
        IGrainFactory factory = DispatchProxy.Create<IGrainFactory, ScriptedShardFactory>();
        ((ScriptedShardFactory)(object)factory).Shard = shard;
        return factory;
    }

    /// <summary>A dispatcher whose silos ("fixed", "fixed-1"…) have one shard each: this one.</summary>
    public static ClusterDispatcher Dispatcher(ScriptedShard shard, OrleansExecutorOptions? options = null, int silos = 1) =>
        new(Factory(shard), options ?? new OrleansExecutorOptions { ShardCount = 1 }, fixedSilos: [.. Enumerable.Range(0, silos).Select(i => i == 0 ? "fixed" : $"fixed-{i}")]);

    public async Task<ClusterCallOutcome> Run(ClusterCallRequest request, TimeSpan maxWait)
    {
        int run = Interlocked.Increment(ref _runs);
        LastRequest = request;
        if (run <= RejectRuns)
        {
            throw new SiloUnavailableException(); // the "known to be dead" rejection: never delivered
        }

        if (run <= RejectRuns + TimeOutRuns)
        {
            OnTimeOut?.Invoke();
            throw new TimeoutException("no response");
        }

        if (run <= RejectRuns + TimeOutRuns + HandBackRuns)
        {
            return new ClusterCallOutcome { Status = ClusterCallStatus.HandedBack };
        }

        if (run == 1 && HoldFirstRun is { } hold)
        {
            FirstRunArrived.TrySetResult();
            await hold.Task;
        }

        return RunAnswer;
    }

    public Task<ClusterCallOutcome> Wait(ClusterCallId callId, TimeSpan maxWait, bool returnResult)
    {
        Interlocked.Increment(ref _waits);
        return Task.FromResult(WaitAnswer);
    }

    public Task<ClusterCallOutcome> ReadForDependent(ClusterCallId callId, bool mayBeInFlight, TimeSpan maxWait, string fromSilo) => throw new NotSupportedException();

    public Task Cancel(ClusterCallId callId) => Task.CompletedTask;

    public Task Release(ClusterCallId[] callIds) => Task.CompletedTask;

    public Task<ShardStats> GetStats() => Task.FromResult(new ShardStats());

    public Task<ClusterCallOutcome> Adopt(ClusterCallId callId, string fromShard, bool mayRunAgain) => throw new NotSupportedException();

    public Task<ShardDrainState> Drain() => throw new NotSupportedException();
}
