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
        if (!_calls.TryGetValue(callId, out CallEntry? entry) && _draining)
        {
            return ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity); // a draining shard expects nothing new
        }

        if (entry is null)
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
        if (argument.ReferenceShard is not { Length: > 0 } shardKey)
        {
            return ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity); // its client does not know where it is
        }

        bool local = shardKey == this.GetPrimaryKeyString();
        ICallShardGrain shard = GrainFactory.GetGrain<ICallShardGrain>(shardKey);
        if (!local)
        {
            // Orleans delivers a call to an activation on this silo on the sending thread, and the synchronous part of a
            // turn runs under the sending activation's lock: two shards reading from each other there would each wait
            // for the other's lock forever. So a read of another shard always starts from a continuation of the turn.
            await Task.Yield();
        }

        // Fires when the silo holding the argument is declared dead: a read waiting there stops at once, and the next one
        // reaches the shard's new activation, which answers "not held".
        CancellationToken gone = local ? CancellationToken.None : _view.GoneToken(ShardKey.SiloOf(shardKey));
        var retry = default(TransientRetry);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ClusterCallOutcome outcome;
            try
            {
                // Cancelling stops waiting at once (the read itself ends with its poll interval).
                outcome = local
                    ? await ReadForDependent(argument.Reference, argument.ReferenceMayBeInFlight, _runner.ReferencePollInterval, RuntimeIdentity).WaitAsync(cancellationToken)
                    : await AwaitUnlessGone(shard.ReadForDependent(argument.Reference, argument.ReferenceMayBeInFlight, _runner.ReferencePollInterval, RuntimeIdentity), gone, cancellationToken);
                retry.Reset();
            }
            catch (Exception ex) when (ClusterFaults.IsLocalHostShuttingDown(ex))
            {
                _localHostStopping = true;
                throw;
            }
            catch (OperationCanceledException) when (gone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Its silo was declared dead while we waited: ask again, now of the shard's new activation.
                gone = CancellationToken.None;
                continue;
            }
            catch (Exception ex) when (TransientRetry.IsTransient(ex))
            {
                // Its silo is dying or dead: once death is declared, the shard comes back elsewhere and answers "not held".
                if (retry.FailingFor > Options.ReferenceUnreachableTimeout)
                {
                    return ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost);
                }

                LogReferenceRetry(_logger, argument.Reference, shardKey, ex.GetType().Name);
                await retry.PauseAsync(cancellationToken);
                continue;
            }

            if (outcome.IsDone)
            {
                return outcome;
            }
        }
    }

    /// <summary>Awaits <paramref name="read"/> unless <paramref name="gone"/> or <paramref name="cancellationToken"/> fires first (then throws <see cref="OperationCanceledException"/>).</summary>
    private static async Task<ClusterCallOutcome> AwaitUnlessGone(Task<ClusterCallOutcome> read, CancellationToken gone, CancellationToken cancellationToken)
    {
        if (!gone.CanBeCanceled)
        {
            return await read.WaitAsync(cancellationToken);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await read.WaitAsync(gone);
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(gone, cancellationToken);
        return await read.WaitAsync(either.Token);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading argument call {CallId} from shard {Shard} failed ({Error}); retrying.")]
    private static partial void LogReferenceRetry(ILogger logger, ClusterCallId callId, string shard, string error);
}
