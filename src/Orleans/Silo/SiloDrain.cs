using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// A silo asked to stop leaves gracefully: first of all the stop stages (while the silo still takes messages and its
/// gateway still forwards them) it tells the cluster's views that it is draining — clients stop placing calls on it and
/// move the results they hold there — then drains every shard on it: new and waiting calls are handed back to their
/// clients, which send them elsewhere; running calls finish. It waits until nothing is running, every outcome has been
/// delivered and every result that could not be recomputed has been moved or released (while another silo takes calls
/// to move them to), or until
/// <see cref="PipelinesSiloOptions.DrainTimeout"/> (or the host's own shutdown timeout) runs out. Then Orleans goes on:
/// what is still held is lost with the silo, as if it had died.
/// </summary>
internal sealed partial class SiloDrain(ClusterViewService view, SiloCallRunner runner, IGrainFactory grains, ILogger<SiloDrain> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_announceTimeout = TimeSpan.FromSeconds(2);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return; // not a graceful stop
        }

        var clock = Stopwatch.StartNew();
        view.MarkDraining(view.LocalAddress);
        await AnnounceAsync(cancellationToken).ConfigureAwait(false);

        TimeSpan limit = runner.Options.DrainTimeout;
        while (true)
        {
            ShardDrainState left = await DrainShardsAsync().ConfigureAwait(false);
            if (left.Held > 0 && !view.HasOtherPlaceableSilo())
            {
                // No other silo takes calls (the whole cluster stops): results have nowhere to move, so there is no
                // point in keeping them; what runs still finishes and what finished is still delivered.
                left = new ShardDrainState { Running = left.Running, Undelivered = left.Undelivered };
            }

            if (left.IsIdle)
            {
                LogDrained(logger, view.LocalAddress, clock.Elapsed.TotalSeconds);
                return;
            }

            if (clock.Elapsed >= limit || cancellationToken.IsCancellationRequested)
            {
                LogDrainTimedOut(logger, view.LocalAddress, clock.Elapsed.TotalSeconds, left.ToString());
                return;
            }

            await Task.Delay(s_poll, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Tells every other silo's view that this one drains, so clients watching any silo hear of it at once.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        var sends = new List<Task>();
        foreach (string silo in view.ActiveSilos())
        {
            if (silo != view.LocalAddress)
            {
                sends.Add(grains.GetGrain<IClusterViewGrain>(ShardKey.View(silo)).Draining(view.LocalAddress));
            }
        }

        try
        {
            await Task.WhenAll(sends).WaitAsync(s_announceTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A silo that did not hear it learns of the drain from Orleans' membership when this silo stops.
            LogAnnounceFailed(logger, ex.Message);
        }
    }

    /// <summary>Drains every shard on this silo (again: a shard activated late, or a call that arrived late, is drained too) and sums what is left.</summary>
    private async Task<ShardDrainState> DrainShardsAsync()
    {
        string[] keys = [.. runner.Shards];
        var states = await Task.WhenAll(keys.Select(key => DrainOne(grains.GetGrain<ICallShardGrain>(key)))).ConfigureAwait(false);
        return new ShardDrainState
        {
            Running = states.Sum(s => s.Running),
            Undelivered = states.Sum(s => s.Undelivered),
            Held = states.Sum(s => s.Held),
        };
    }

    private async Task<ShardDrainState> DrainOne(ICallShardGrain shard)
    {
        try
        {
            return await shard.Drain().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDrainFailed(logger, ex.Message);
            return new ShardDrainState();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipelines: silo {Silo} drained in {Seconds:F1} s.")]
    private static partial void LogDrained(ILogger logger, string silo, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipelines: silo {Silo} stops after draining for {Seconds:F1} s with {Left}; those are lost with it.")]
    private static partial void LogDrainTimedOut(ILogger logger, string silo, double seconds, string left);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines: announcing the drain failed ({Error}).")]
    private static partial void LogAnnounceFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines: draining a shard failed ({Error}).")]
    private static partial void LogDrainFailed(ILogger logger, string error);
}
