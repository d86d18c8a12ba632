using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

// Futures as arguments: a dependent call's shard reads an argument's result from the shard that holds it (itself,
// another shard on this silo, or one on another silo), silo to silo, never through the client.
internal sealed partial class CallShardGrain
{
    public async Task<ClusterCallOutcome> ReadForDependent(ClusterCallId callId, bool mayBeInFlight, TimeSpan maxWait, string fromSilo)
    {
        if (!_calls.TryGetValue(callId, out CallEntry? entry))
        {
            if (!mayBeInFlight)
            {
                return ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity);
            }

            // The dependent's Run reached its shard before this call's Run reached us: wait for it to arrive.
            entry = new CallEntry(callId) { State = EntryState.Expected };
            _calls.Add(callId, entry);
        }

        await WaitDone(entry, maxWait);
        if (!entry.IsDone)
        {
            return ClusterCallOutcome.PendingOutcome;
        }

        entry.Touch();
        if (entry.Outcome!.Status == ClusterCallStatus.Succeeded)
        {
            _dependentReads++;
            if (!string.Equals(fromSilo, RuntimeIdentity, StringComparison.Ordinal))
            {
                _crossSiloReads++;
            }

            return WithResult(entry);
        }

        return entry.Outcome;
    }

    /// <summary>Reads a reference argument from its shard (this one, or another, on this silo or another).</summary>
    private async Task<ClusterCallOutcome> ResolveReference(ClusterArgument argument, CancellationToken cancellationToken)
    {
        long shardKey = argument.ReferenceShard;
        bool local = shardKey == this.GetPrimaryKeyLong();
        ICallShardGrain shard = GrainFactory.GetGrain<ICallShardGrain>(shardKey);
        if (!local)
        {
            // Orleans delivers a call to an activation on this silo on the sending thread, and the synchronous part of a
            // turn runs under the sending activation's lock: two shards reading from each other there would each wait
            // for the other's lock forever. So a read of another shard always starts from a continuation of the turn.
            await Task.Yield();
        }

        DateTime unreachableSince = DateTime.MaxValue;
        TimeSpan delay = RetryDelay.First;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ClusterCallOutcome outcome;
            try
            {
                // Cancelling stops waiting at once (the read itself ends with its poll interval).
                outcome = local
                    ? await ReadForDependent(argument.Reference, argument.ReferenceMayBeInFlight, _runner.ReferencePollInterval, RuntimeIdentity).WaitAsync(cancellationToken)
                    : await shard.ReadForDependent(argument.Reference, argument.ReferenceMayBeInFlight, _runner.ReferencePollInterval, RuntimeIdentity).WaitAsync(cancellationToken);
                unreachableSince = DateTime.MaxValue;
                delay = RetryDelay.First;
            }
            catch (Exception ex) when (ClusterFaults.IsLocalHostShuttingDown(ex))
            {
                _localHostStopping = true;
                throw;
            }
            catch (Exception ex) when (ClusterFaults.Classify(ex) != DeliveryFault.NotTransient)
            {
                // Its silo is dying or dead: once death is declared, the shard comes back elsewhere and answers "not held".
                DateTime now = DateTime.UtcNow;
                if (unreachableSince == DateTime.MaxValue)
                {
                    unreachableSince = now;
                }
                else if (now - unreachableSince > Options.ReferenceUnreachableTimeout)
                {
                    return ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost);
                }

                LogReferenceRetry(_logger, argument.Reference, shardKey, ex.GetType().Name);
                await Task.Delay(delay, cancellationToken);
                delay = RetryDelay.Next(delay);
                continue;
            }

            if (outcome.IsDone)
            {
                return outcome;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading argument call {CallId} from shard {Shard} failed ({Error}); retrying.")]
    private static partial void LogReferenceRetry(ILogger logger, ClusterCallId callId, long shard, string error);
}
