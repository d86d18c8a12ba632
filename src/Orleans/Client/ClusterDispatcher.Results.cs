using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Results held on the cluster: read one when user code reads it, release it when nothing here needs it any more
// (batched per shard every 100 ms; at once after disposal).
internal sealed partial class ClusterDispatcher
{
    /// <summary>
    /// Reads the result of a call (waiting for it if it is still running): the outcome with <see cref="ClusterCallOutcome.Result"/>
    /// set when it succeeded, Lost (<see cref="ClusterCallLostReason.NotHeld"/>) if the result is gone. Call it after
    /// <see cref="RunAsync"/> has returned: a read that overtakes the call's Run finds nothing and reports it lost.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the call itself is not cancelled).</exception>
    public async Task<ClusterCallOutcome> FetchAsync(ClusterCallId callId, CancellationToken cancellationToken = default)
    {
        var retry = default(TransientRetry);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_calls.TryGetValue(callId, out CallTrack? track) || track.Shard is not { } shardKey || track.Silo is not { } silo)
            {
                return ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld); // released (or never run here): nothing says where it is
            }

            ClusterCallOutcome outcome;
            CancellationToken abandon = silo.AbandonToken;
            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(abandon, cancellationToken);
                outcome = await silo.ShardFor(shardKey).Wait(callId, _pollInterval, returnResult: true).WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _abandonedWaits);
                continue; // its silo is gone, or a gateway connection dropped: ask again
            }
            catch (Exception ex) when (ex is not OperationCanceledException && TransientRetry.IsTransient(ex, out DeliveryFault fault))
            {
                LogRetry(_logger, callId, fault, ex.GetType().Name, ex.Message);
                await retry.PauseAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (outcome.Status == ClusterCallStatus.Lost && !string.Equals(track.Shard, shardKey, StringComparison.Ordinal))
            {
                continue; // it moved off a draining silo while we asked: ask where it is now
            }

            if (outcome.IsDone)
            {
                if (outcome.Status == ClusterCallStatus.Succeeded)
                {
                    Interlocked.Increment(ref _fetches);
                }

                return outcome;
            }
        }
    }

    /// <summary>
    /// The client no longer needs this call's result: neither user code nor a call not yet dispatched will read it.
    /// Batched; a call still running is dropped when it finishes. Releasing twice, or an unknown id, is harmless.
    /// </summary>
    public void Release(ClusterCallId callId)
    {
        if (_calls.TryRemove(callId, out CallTrack? track) && track.Shard is { } shard)
        {
            ReleaseAt(shard, callId);
        }
    }

    /// <summary>Sends the pending releases now.</summary>
    public async Task FlushReleasesAsync()
    {
        var byShard = new Dictionary<string, List<ClusterCallId>>(StringComparer.Ordinal);
        while (_releases.TryDequeue(out (string Shard, ClusterCallId Id) release))
        {
            if (!byShard.TryGetValue(release.Shard, out List<ClusterCallId>? list))
            {
                byShard[release.Shard] = list = new List<ClusterCallId>();
            }

            list.Add(release.Id);
        }

        var sends = new List<Task>(byShard.Count);
        foreach (var (key, list) in byShard)
        {
            sends.Add(SendRelease(key, list.ToArray()));
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0 && _calls.IsEmpty)
        {
            await StopWatchingAsync().ConfigureAwait(false); // nothing is held any more: no need to follow drains
        }
    }

    /// <summary>Queues the release of one copy of a result (a moved result's old copy, or the only one).</summary>
    private void ReleaseAt(string shard, ClusterCallId callId)
    {
        _releases.Enqueue((shard, callId));
        if (Volatile.Read(ref _disposed) != 0)
        {
            _ = FlushReleasesAsync(); // the batching loop has stopped
        }
    }

    private async Task SendRelease(string shard, ClusterCallId[] callIds)
    {
        try
        {
            await _grains.GetGrain<ICallShardGrain>(shard).Release(callIds).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The shard's silo may be gone (and its results with it); anything left expires with the result TTL.
            LogReleaseFailed(_logger, callIds.Length, shard, ex);
        }
    }

    private async Task ReleaseLoop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (!_releases.IsEmpty)
                {
                    await FlushReleasesAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Releasing {Count} results on shard {Shard} failed; they expire with the result TTL.")]
    private static partial void LogReleaseFailed(ILogger logger, int count, string shard, Exception exception);
}
