using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// A silo that drains keeps the results it holds only until their clients have them elsewhere: this dispatcher moves
// each result it still needs to a shard on another silo (the new shard reads it silo to silo, Adopt), points the call's
// track there, then releases the old copy. Dependents sent meanwhile with the old place read it there while it lasts,
// or are sent again with the new one (RefreshMovedArguments); reads ask the new place (FetchAsync).
internal sealed partial class ClusterDispatcher
{
    private void OnSiloDraining(ClusterSilo silo)
    {
        LogSiloDraining(_logger, silo.Name);
        foreach (KeyValuePair<ClusterCallId, CallTrack> call in _calls)
        {
            if (ReferenceEquals(call.Value.Silo, silo) && call.Value.Outcome?.Status == ClusterCallStatus.Succeeded)
            {
                _ = MoveAsync(call.Key, call.Value);
            }
        }
    }

    /// <summary>Moves one succeeded call's result off its draining silo; best effort (a result that cannot be moved is lost with the silo, then recomputed or reported lost).</summary>
    private async Task MoveAsync(ClusterCallId callId, CallTrack track)
    {
        if (Interlocked.Exchange(ref track.Moving, 1) != 0)
        {
            return;
        }

        await _moves.WaitAsync().ConfigureAwait(false);
        try
        {
            for (int attempt = 0; attempt < MaxResends; attempt++)
            {
                if (track.Shard is not { } from || track.Silo is not { Draining: true } oldSilo || !_calls.ContainsKey(callId))
                {
                    return; // moved already, or released
                }

                if (_placement.TryPickForMove() is not { } target)
                {
                    return; // no silo to move it to: it stays where it is while that silo serves it
                }

                ClusterCallOutcome outcome;
                try
                {
                    outcome = await target.Shard.Adopt(callId, from, track.MayRunAgain).WaitAsync(target.Silo.AbandonToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || TransientRetry.IsTransient(ex))
                {
                    continue; // the target left or a connection dropped: another target at once, no pause
                }

                if (outcome.Status == ClusterCallStatus.HandedBack)
                {
                    _placement.MarkDraining(outcome.Silo ?? target.Silo.Name);
                    continue;
                }

                if (outcome.Status != ClusterCallStatus.Succeeded)
                {
                    LogMoveFailed(_logger, callId, oldSilo.Name, outcome.ToString());
                    return;
                }

                track.PlaceAt(target.ShardKey, target.Silo);
                Interlocked.Increment(ref _moved);
                ReleaseAt(from, callId);
                if (!_calls.ContainsKey(callId))
                {
                    ReleaseAt(target.ShardKey, callId); // released while it moved: the new copy goes too
                }

                return;
            }
        }
        catch (Exception ex)
        {
            LogMoveFailed(_logger, callId, track.Silo?.Name ?? "?", ex.Message);
        }
        finally
        {
            _moves.Release();
            Volatile.Write(ref track.Moving, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is draining: moving the results held there.")]
    private static partial void LogSiloDraining(ILogger logger, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move the result of cluster call {CallId} off draining silo {Silo}: {Why}.")]
    private static partial void LogMoveFailed(ILogger logger, ClusterCallId callId, string silo, string why);
}
