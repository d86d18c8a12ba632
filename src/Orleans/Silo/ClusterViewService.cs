using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// This silo's view of the cluster for Pipelines clients (<see cref="SiloView"/>): the active silos from Orleans'
/// membership, which of them are draining (a silo says so itself before it leaves, long before Orleans' membership shows
/// it leaving), and this silo's capacity. Clients long-poll it (<see cref="WatchAsync"/>) and hear of a join, a death or a
/// drain as soon as this silo does. It also gives a token per silo that fires when that silo is declared dead, so reads
/// of results held there stop waiting at once instead of at Orleans' response timeout.
/// </summary>
internal sealed partial class ClusterViewService : ILifecycleParticipant<ISiloLifecycle>
{
    private const int DeadListed = 64;

    private readonly IClusterMembershipService _membership;
    private readonly ILogger<ClusterViewService> _logger;
    private readonly object _gate = new();
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _gone = new(StringComparer.Ordinal); // per silo, fired when it is declared dead
    private readonly CancellationTokenSource _stopping = new();
    private ClusterMembershipSnapshot? _snapshot;
    private SiloView _view;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _watching = Task.CompletedTask;

    public ClusterViewService(IClusterMembershipService membership, ILocalSiloDetails local, SiloCallRunner runner, ILogger<ClusterViewService> logger)
    {
        _membership = membership;
        _logger = logger;
        LocalAddress = local.SiloAddress.ToParsableString();
        Self = new SiloInfo { Address = LocalAddress, Name = local.SiloAddress.ToString(), Capacity = runner.Capacity };
        _view = new SiloView { Version = 1, From = LocalAddress };
    }

    /// <summary>This silo's parsable address.</summary>
    public string LocalAddress { get; }

    /// <summary>This silo's own entry (not draining).</summary>
    public SiloInfo Self { get; }

    /// <summary>True once this silo has begun draining.</summary>
    public bool IsDraining
    {
        get
        {
            lock (_gate)
            {
                return _draining.Contains(LocalAddress);
            }
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterViewService), ServiceLifecycleStage.RuntimeGrainServices, OnStart, OnStop);

    /// <summary>The parsable addresses of the silos active now.</summary>
    public string[] ActiveSilos()
    {
        lock (_gate)
        {
            return [.. _view.Silos.Select(s => s.Address)];
        }
    }

    /// <summary>True if <paramref name="silo"/> (a parsable address) said it is draining.</summary>
    public bool IsDrainingSilo(string silo)
    {
        lock (_gate)
        {
            return _draining.Contains(silo);
        }
    }

    /// <summary>True while some other active silo is not draining (somewhere for this silo's results to go).</summary>
    public bool HasOtherPlaceableSilo()
    {
        lock (_gate)
        {
            return _view.Silos.Any(s => s.Address != LocalAddress && !s.Draining);
        }
    }

    /// <summary>The view once its version differs from <paramref name="knownVersion"/>, or after <paramref name="maxWait"/>.</summary>
    public async Task<SiloView> WatchAsync(long knownVersion, TimeSpan maxWait)
    {
        Task changed;
        lock (_gate)
        {
            if (_view.Version != knownVersion || maxWait <= TimeSpan.Zero)
            {
                return _view;
            }

            changed = _changed.Task;
        }

        await changed.WaitAsync(maxWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            return _view;
        }
    }

    /// <summary><paramref name="silo"/> is draining: it stays in the view, marked, until Orleans' membership drops it.</summary>
    public void MarkDraining(string silo)
    {
        ArgumentException.ThrowIfNullOrEmpty(silo);
        lock (_gate)
        {
            if (!_draining.Add(silo))
            {
                return;
            }

            Publish();
        }

        LogDraining(_logger, silo);
    }

    /// <summary>A token that fires when <paramref name="silo"/> (a parsable address) is declared dead (at once if it is already).</summary>
    public CancellationToken GoneToken(string silo)
    {
        lock (_gate)
        {
            if (!_gone.TryGetValue(silo, out CancellationTokenSource? gone))
            {
                _gone[silo] = gone = new CancellationTokenSource();
                if (_snapshot is { } snapshot && SiloAddress.TryParse(silo, out SiloAddress? address) && snapshot.GetSiloStatus(address) == SiloStatus.Dead)
                {
                    gone.Cancel();
                }
            }

            return gone.Token;
        }
    }

    private Task OnStart(CancellationToken cancellationToken)
    {
        Apply(_membership.CurrentSnapshot);
        _watching = Task.Run(WatchMembershipAsync);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchMembershipAsync()
    {
        try
        {
            await foreach (ClusterMembershipSnapshot snapshot in _membership.MembershipUpdates.WithCancellation(_stopping.Token).ConfigureAwait(false))
            {
                Apply(snapshot);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWatchFailed(_logger, ex);
        }
    }

    private void Apply(ClusterMembershipSnapshot snapshot)
    {
        List<CancellationTokenSource>? died = null;
        lock (_gate)
        {
            if (_snapshot is { } previous && snapshot.Version <= previous.Version)
            {
                return;
            }

            _snapshot = snapshot;
            foreach (ClusterMember member in snapshot.Members.Values)
            {
                if (member.Status == SiloStatus.Dead)
                {
                    string address = member.SiloAddress.ToParsableString();
                    if (!_gone.TryGetValue(address, out CancellationTokenSource? gone))
                    {
                        _gone[address] = gone = new CancellationTokenSource();
                    }

                    if (!gone.IsCancellationRequested)
                    {
                        (died ??= new()).Add(gone);
                    }
                }
            }

            Publish();
        }

        // Outside the lock: the tokens' callbacks resume reads waiting on the dead silos.
        foreach (CancellationTokenSource gone in died ?? [])
        {
            gone.Cancel();
        }
    }

    /// <summary>Builds the view from the snapshot and the draining set, and wakes the watchers. Called under the lock.</summary>
    private void Publish()
    {
        var silos = new List<SiloInfo>();
        var dead = new List<string>();
        if (_snapshot is { } snapshot)
        {
            foreach (ClusterMember member in snapshot.Members.Values)
            {
                string address = member.SiloAddress.ToParsableString();
                if (member.Status == SiloStatus.Active)
                {
                    bool draining = _draining.Contains(address);
                    silos.Add(address == LocalAddress
                        ? new SiloInfo { Address = address, Name = Self.Name, Capacity = Self.Capacity, Draining = draining }
                        : new SiloInfo { Address = address, Name = member.SiloAddress.ToString(), Draining = draining });
                }
                else if (member.Status == SiloStatus.Dead && dead.Count < DeadListed)
                {
                    dead.Add(address);
                }
            }
        }

        _view = new SiloView
        {
            Version = _view.Version + 1,
            Silos = [.. silos.OrderBy(s => s.Address, StringComparer.Ordinal)],
            From = LocalAddress,
            Dead = [.. dead],
        };
        TaskCompletionSource changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipelines: silo {Silo} is draining.")]
    private static partial void LogDraining(ILogger logger, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipelines stopped following the cluster's membership.")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
