using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Cancelling a call: one cancelled before it was sent never runs (it never leaves the client); one that may have reached
// its shard is cancelled there, where a call not started never runs and a running call's token fires.
internal sealed partial class ClusterDispatcher
{
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
