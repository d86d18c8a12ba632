using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Cancelling a call: one cancelled before it was sent never runs (its shard still hears of it, a tombstone); one that
// may have reached its shard is cancelled there, where a call not started never runs and a running call's token fires.
internal sealed partial class ClusterDispatcher
{
    /// <summary>
    /// A call cancelled before it was sent never runs; its shard still gets a Cancel (a tombstone), so a dependent that
    /// references it (dispatched by another path) hears "cancelled" instead of waiting for it.
    /// </summary>
    private ClusterCallOutcome CancelledBeforeSending(CallTrack track, ICallShardGrain shard, ClusterCallId callId)
    {
        _ = SendCancel(shard, callId);
        track.Heard.TrySetResult();
        return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled };
    }

    /// <summary>Cancelling a call that may have reached its shard means telling the shard.</summary>
    private CancellationTokenRegistration RegisterCancel(CancellationToken cancellationToken, ICallShardGrain shard, ClusterCallId callId) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state =>
            {
                var (dispatcher, target, id) = ((ClusterDispatcher, ICallShardGrain, ClusterCallId))state!;
                _ = dispatcher.SendCancel(target, id);
            }, (this, shard, callId))
            : default;

    private async Task SendCancel(ICallShardGrain shard, ClusterCallId callId)
    {
        TimeSpan delay = RetryDelay.First;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await shard.Cancel(callId).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ClusterFaults.Classify(ex) != DeliveryFault.NotTransient)
            {
                LogRetry(_logger, callId, ClusterFaults.Classify(ex), ex.GetType().Name, ex.Message);
                await Task.Delay(delay).ConfigureAwait(false);
                delay = RetryDelay.Next(delay); // five tries stay under the cap: 20 ms to 320 ms
            }
            catch (Exception ex)
            {
                LogCancelFailed(_logger, callId, ex);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling cluster call {CallId} failed.")]
    private static partial void LogCancelFailed(ILogger logger, ClusterCallId callId, Exception exception);
}
