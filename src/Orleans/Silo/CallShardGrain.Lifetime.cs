using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

// How long a shard holds calls: until the client releases them, or the result TTL passes untouched, or the activation
// goes away with its silo (then everything it holds is lost, and waiters hear so at once).
internal sealed partial class CallShardGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        TimeSpan period = TimeSpan.FromTicks(Math.Max(Options.ResultTimeToLive.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        _sweeper = this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = false });

        // A shard activated while its silo drains (a late message) takes nothing new either; the drain finds it through the runner.
        _isFallback = ShardKey.SiloOf(this.GetPrimaryKeyString()) != _view.LocalAddress;
        _draining = _view.IsDraining;
        _runner.AddShard(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The silo is going away (or the activation is being removed): what this shard holds is lost. Calls still
        // waiting or running are cancelled, and everyone waiting on them hears "lost" now rather than timing out.
        _sweeper?.Dispose();
        foreach (CallEntry entry in _calls.Values)
        {
            if (!entry.IsDone)
            {
                entry.Finish(ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost, RuntimeIdentity), null);
                entry.CancelRun();
            }
        }

        LogDeactivating(_logger, this.GetPrimaryKeyString(), _calls.Count, reason.Description);
        _calls.Clear();
        _runner.RemoveShard(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task Release(ClusterCallId[] callIds)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (ClusterCallId callId in callIds)
        {
            if (_calls.TryGetValue(callId, out CallEntry? entry))
            {
                if (entry.IsDone)
                {
                    _calls.Remove(callId);
                }
                else
                {
                    entry.Released = true; // dropped when it finishes
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Drops results nobody touched for <see cref="PipelinesSiloOptions.ResultTimeToLive"/>, and placeholders nobody ran.</summary>
    private Task Sweep()
    {
        long expiredBefore = Environment.TickCount64 - (long)Options.ResultTimeToLive.TotalMilliseconds;
        List<ClusterCallId>? expired = null;
        foreach (CallEntry entry in _calls.Values)
        {
            if (entry.TouchedAt < expiredBefore && (entry.IsDone || entry.State == EntryState.Expected))
            {
                (expired ??= new()).Add(entry.Id);
            }
        }

        if (expired is not null)
        {
            foreach (ClusterCallId callId in expired)
            {
                CallEntry entry = _calls[callId];
                entry.Finish(ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity), null); // placeholders: their waiters hear "lost"
                _calls.Remove(callId);
            }

            LogExpired(_logger, this.GetPrimaryKeyString(), expired.Count);
        }

        if (_isFallback && _calls.Count == 0)
        {
            // Activated here only because the silo its key names was gone: once it holds nothing, it has no reason to stay.
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines shard {Shard} deactivating with {Count} calls held ({Reason}); they are lost.")]
    private static partial void LogDeactivating(ILogger logger, string shard, int count, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines shard {Shard} dropped {Count} expired results.")]
    private static partial void LogExpired(ILogger logger, string shard, int count);
}
