using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>
/// Keeps a <see cref="SiloPlacement"/> in step with the cluster: long-polls the views of two silos at a time (one
/// reached through <see cref="ShardKey.AnyView"/> until a silo is known), so a join, a drain or a death reaches the
/// placement as soon as the silos know it — through the other silo's view when a watched silo itself dies. Asks each
/// new silo for its capacity.
/// </summary>
internal sealed partial class SiloWatcher : IAsyncDisposable
{
    private const int Sources = 2;

    private readonly IGrainFactory _grains;
    private readonly SiloPlacement _placement;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstView = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<bool> _keepWatching;
    private readonly Task _loop;

    /// <param name="grains">How the silos' views are reached.</param>
    /// <param name="placement">What the views update.</param>
    /// <param name="pollInterval">How long one long poll lasts.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="keepWatching">Asked after every poll: false stops the watcher (its dispatcher is disposed and holds nothing).</param>
    public SiloWatcher(IGrainFactory grains, SiloPlacement placement, TimeSpan pollInterval, ILogger logger, Func<bool> keepWatching)
    {
        _grains = grains;
        _placement = placement;
        _pollInterval = pollInterval;
        _logger = logger;
        _keepWatching = keepWatching;
        _placement.Joined += silo => _ = AskCapacityAsync(silo);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when the first view has arrived.</summary>
    public Task FirstView => _firstView.Task;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        var polls = new Dictionary<string, (Task<SiloView> Poll, ClusterSilo? Silo)>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal); // per view key, the version last seen
        var retry = default(TransientRetry); // the watch goes on after any failure, not only a transient one
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested && _keepWatching())
        {
            // Watch two silos (any silo while none is known); a silo that is gone or failed is replaced.
            List<ClusterSilo> silos = [.. _placement.Silos.Where(s => !s.IsGone).OrderBy(s => s.Draining).ThenBy(s => s.Address, StringComparer.Ordinal)];
            foreach (ClusterSilo silo in silos)
            {
                if (polls.Count >= Sources)
                {
                    break;
                }

                string key = ShardKey.View(silo.Address);
                if (!polls.ContainsKey(key))
                {
                    polls[key] = (Watch(key, versions.GetValueOrDefault(key), silo), silo);
                }
            }

            if (polls.Count == 0)
            {
                polls[ShardKey.AnyView] = (Watch(ShardKey.AnyView, 0, null), null);
            }

            Task<SiloView> done = await Task.WhenAny(polls.Values.Select(p => p.Poll)).ConfigureAwait(false);
            string finished = polls.First(p => p.Value.Poll == done).Key;
            ClusterSilo? watched = polls[finished].Silo;
            polls.Remove(finished);
            try
            {
                SiloView view = await done.ConfigureAwait(false);
                versions[finished] = view.Version; // by key: a silo's key may be answered by another silo's view once it is gone
                _placement.Apply(view);
                _firstView.TrySetResult();
                retry.Reset();
                if (finished == ShardKey.AnyView && polls.Count == 0 && view.Silos.Length == 0)
                {
                    await Task.Delay(TransientRetry.FirstDelay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // no silo is active yet
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (watched is not null)
            {
                // The watched silo is gone, or a gateway connection dropped: watch again (another silo if it is gone).
            }
            catch (Exception ex) when (ClusterFaults.IsLocalHostShuttingDown(ex) || ex is ObjectDisposedException)
            {
                return; // the client is going away
            }
            catch (Exception ex)
            {
                LogWatchFailed(_logger, finished, ex.GetType().Name, ex.Message);
                await retry.PauseAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One long poll of a view; abandoned when its silo is gone or a gateway connection drops.</summary>
    private async Task<SiloView> Watch(string key, long knownVersion, ClusterSilo? silo)
    {
        Task<SiloView> poll = _grains.GetGrain<IClusterViewGrain>(key).Watch(knownVersion, _pollInterval);
        if (silo is null)
        {
            return await poll.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(silo.AbandonToken, _stopping.Token);
        return await poll.WaitAsync(either.Token).ConfigureAwait(false);
    }

    private async Task AskCapacityAsync(ClusterSilo silo)
    {
        if (silo.Capacity > 0)
        {
            return;
        }

        await TransientRetry.RunAsync(
            async () =>
            {
                SiloInfo info = await _grains.GetGrain<IClusterViewGrain>(ShardKey.View(silo.Address)).Info().WaitAsync(silo.AbandonToken).ConfigureAwait(false);
                if (info.Address == silo.Address && info.Capacity > 0)
                {
                    _placement.SetCapacity(silo, info.Capacity);
                }
            },
            maxAttempts: 5,
            onRetry: null,
            onFailure: ex => LogWatchFailed(_logger, ShardKey.View(silo.Address), ex.GetType().Name, ex.Message),
            keepTrying: () => !silo.IsGone && !_stopping.IsCancellationRequested,
            retryCancelled: true).ConfigureAwait(false); // cancelled: the silo left (then it stops) or a gateway connection dropped
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching the cluster through {Key} failed ({ExceptionType}: {Error}); trying again.")]
    private static partial void LogWatchFailed(ILogger logger, string key, string exceptionType, string error);
}
