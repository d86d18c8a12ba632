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

    private Task SendCancel(ICallShardGrain shard, ClusterCallId callId) =>
        TransientRetry.RunAsync(
            () => shard.Cancel(callId),
            maxAttempts: 5, // pauses of 20 ms to 320 ms, under the cap
            onRetry: ex => LogRetry(_logger, callId, ClusterFaults.Classify(ex), ex.GetType().Name, ex.Message),
            onFailure: ex => LogCancelFailed(_logger, callId, ex));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling cluster call {CallId} failed.")]
    private static partial void LogCancelFailed(ILogger logger, ClusterCallId callId, Exception exception);
}
