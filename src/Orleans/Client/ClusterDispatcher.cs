using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>
/// The client side of running calls on the cluster, for <see cref="OrleansExecutor"/>:
/// <see cref="RunAsync"/> a call whose arguments are JSON or references to earlier calls, <see cref="FetchAsync"/> a
/// result only when user code reads it, <see cref="Release"/> it when nothing needs it any more.
/// </summary>
/// <remarks>
/// <para>Placement (<see cref="SiloPlacement"/>): each call is sent to a shard on the least busy silo that takes calls
/// now, within that silo's window; calls beyond every window wait here. <see cref="SiloWatcher"/> keeps the silos
/// current from the cluster's own views, so a silo that joins gets calls at once, and a draining one gets none while
/// the results it holds are moved to other silos (<see cref="MoveAsync"/>).</para>
/// <para>Delivery: a Run the cluster rejected (never delivered) is sent again, for up to
/// <see cref="OrleansExecutorOptions.DeliveryTimeout"/>. A Run whose fate is unknown (a timeout, a gateway connection that
/// dropped with it outstanding) is sent again as a repeat while its silo is in the cluster: the shard on that silo runs it
/// only if it never got it (a shard's activation lives as long as its silo: nothing deactivates it before). Once the
/// silo is gone, the call is only asked about: the shard's new activation elsewhere does not know it and answers
/// <see cref="ClusterCallStatus.Lost"/>, which is final (it also refuses a late repeat) — the call is never run twice by
/// the dispatcher. A wait on a silo that is gone, or whose reply was on its way through a gateway whose connection
/// dropped, is abandoned at once and asked again.</para>
/// <para>Thread-safe; <see cref="RunAsync"/> and <see cref="FetchAsync"/> never throw for a call's own outcome (they
/// return it), only for misuse, disposal, or a local client that is shutting down. Once disposed, it runs no new call,
/// but still fetches and releases results (an executor's futures stay readable after it shut down), and keeps moving
/// them off draining silos while it holds any.</para>
/// </remarks>
internal sealed partial class ClusterDispatcher : IAsyncDisposable
{
    // The first Run waits only this long for the outcome; a short call still completes in one round trip.
    private static readonly TimeSpan s_firstWait = TimeSpan.FromMilliseconds(100);

    private readonly IGrainFactory _grains;
    private readonly OrleansExecutorOptions _options;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly long _session;
    private readonly SiloPlacement _placement;
    private readonly SiloWatcher? _watcher;
    private readonly ClusterConnectionEvents? _connections;
    private readonly ConcurrentDictionary<ClusterCallId, CallTrack> _calls = new(); // calls run through here and not released
    private readonly ConcurrentQueue<(string Shard, ClusterCallId Id)> _releases = new();
    private readonly SemaphoreSlim _moves = new(16);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _releaseLoop;
    private long _sequence;
    private long _redeliveries;
    private long _unknownDeliveries;
    private long _lost;
    private long _fetches;
    private long _handedBack;
    private long _moved;
    private long _abandonedWaits;
    private int _running; // RunAsync calls under way
    private int _disposed;
    private int _stoppedWatching;

    /// <summary>Creates a dispatcher that sends calls through <paramref name="grains"/> (an <c>IClusterClient</c>, or a silo's grain factory).</summary>
    /// <param name="grains">How grains are reached.</param>
    /// <param name="options">The options; <see cref="OrleansExecutorOptions.ShardCount"/> is the number of shards per silo.</param>
    /// <param name="logger">Where retries and failures are logged.</param>
    /// <param name="fixedSilos">Tests only: these silos (parsable addresses), each with capacity 1, instead of following the cluster's views.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it), e.g. a
    /// <see cref="OrleansExecutorOptions.PollInterval"/> longer than half the client's Orleans response timeout.</exception>
    public ClusterDispatcher(IGrainFactory grains, OrleansExecutorOptions? options = null, ILogger? logger = null, IReadOnlyList<string>? fixedSilos = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _options = options?.Clone() ?? new OrleansExecutorOptions();
        _options.Validate(nameof(options));
        IServiceProvider? services = (grains as IClusterClient)?.ServiceProvider;
        TimeSpan? responseTimeout = services is null
            ? null
            : ((MessagingOptions?)services.GetService<IOptions<ClientMessagingOptions>>()?.Value
                ?? services.GetService<IOptions<SiloMessagingOptions>>()?.Value)?.ResponseTimeout;
        _pollInterval = PipelinesSiloOptions.EffectivePollInterval(_options.PollInterval, responseTimeout, nameof(OrleansExecutorOptions.PollInterval), nameof(options));

        _grains = grains;
        _logger = logger ?? NullLogger.Instance;
        Span<byte> session = stackalloc byte[8];
        RandomNumberGenerator.Fill(session);
        _session = BitConverter.ToInt64(session) & long.MaxValue;

        _placement = new SiloPlacement(grains, _options.ShardCount);
        _placement.Draining += OnSiloDraining;
        if (fixedSilos is null)
        {
            _watcher = new SiloWatcher(grains, _placement, _pollInterval, _logger, keepWatching: () => Volatile.Read(ref _disposed) == 0 || !_calls.IsEmpty);
        }
        else
        {
            _placement.Apply(new SiloView { Version = 1, From = "fixed", Silos = [.. fixedSilos.Select(s => new SiloInfo { Address = s, Name = s, Capacity = 1 })] });
        }

        _connections = services?.GetService<ClusterConnectionEvents>();
        if (_connections is not null)
        {
            _connections.GatewayLost += _placement.AbandonAll;
        }

        _releaseLoop = ReleaseLoop();
    }

    /// <summary>The options in force (a copy of those passed in).</summary>
    public OrleansExecutorOptions Options => _options;

    /// <summary>How long one wait for an outcome lasts: <see cref="OrleansExecutorOptions.PollInterval"/>, or its default for this client.</summary>
    public TimeSpan PollInterval => _pollInterval;

    /// <summary>Where calls go.</summary>
    public SiloPlacement Placement => _placement;

    /// <summary>Runs that were sent again because the cluster rejected them undelivered.</summary>
    public long Redeliveries => Interlocked.Read(ref _redeliveries);

    /// <summary>Runs or waits whose delivery was unknown and were followed by a wait on the shard.</summary>
    public long UnknownDeliveries => Interlocked.Read(ref _unknownDeliveries);

    /// <summary>Calls that ended <see cref="ClusterCallStatus.Lost"/>.</summary>
    public long LostCalls => Interlocked.Read(ref _lost);

    /// <summary>Results the client read (<see cref="FetchAsync"/>, or <see cref="RunAsync"/> with <c>returnResult</c>).</summary>
    public long ResultReads => Interlocked.Read(ref _fetches);

    /// <summary>Calls a draining silo handed back unrun, sent to another silo.</summary>
    public long HandedBack => Interlocked.Read(ref _handedBack);

    /// <summary>Results moved off a draining silo.</summary>
    public long Moved => Interlocked.Read(ref _moved);

    /// <summary>Waits abandoned because their silo was gone or a gateway connection dropped (each was asked again).</summary>
    public long AbandonedWaits => Interlocked.Read(ref _abandonedWaits);

    /// <summary>The random session that every call id of this dispatcher carries.</summary>
    public long Session => _session;

    /// <summary>A new call id, unique across the cluster (a random session per dispatcher, then a sequence).</summary>
    public ClusterCallId NewCallId() => new(_session, Interlocked.Increment(ref _sequence));

    /// <summary>
    /// An argument that is the result of call <paramref name="callId"/>, read silo to silo where the dependent call runs.
    /// A call of this dispatcher is sent only once the referenced call has finished (where its result is, is known then);
    /// a call it does not know (another dispatcher's, or one released) is referenced where it was last seen, or as
    /// possibly in flight (its shard waits for it, up to the result TTL) if it was never seen.
    /// </summary>
    public ClusterArgument Reference(ClusterCallId callId) => _calls.TryGetValue(callId, out CallTrack? track)
        ? new ClusterArgument { Reference = callId, ReferenceShard = track.Shard }
        : new ClusterArgument { Reference = callId, ReferenceMayBeInFlight = true };

    /// <summary>The key of the shard holding call <paramref name="callId"/> now, for tests; null if unknown.</summary>
    public string? ShardOf(ClusterCallId callId) => _calls.TryGetValue(callId, out CallTrack? track) ? track.Shard : null;

    /// <summary>The silo (as Orleans prints it) holding call <paramref name="callId"/> now, for tests and displays; null if unknown.</summary>
    public string? SiloOf(ClusterCallId callId) => _calls.TryGetValue(callId, out CallTrack? track) ? track.Silo?.Name : null;

    /// <summary>The counters of every shard of every known silo (activating those not yet active), for tests and displays.</summary>
    public async Task<ShardStats[]> GetShardStatsAsync()
    {
        await WaitForFirstViewAsync().ConfigureAwait(false);
        var all = new List<Task<ShardStats>>();
        foreach (ClusterSilo silo in _placement.Silos)
        {
            for (int slot = 0; slot < silo.ShardCount; slot++)
            {
                all.Add(silo.Shard(slot).GetStats());
            }
        }

        return await Task.WhenAll(all).ConfigureAwait(false);
    }

    /// <summary>Waits until the cluster's silos are known (at most the delivery timeout).</summary>
    public async Task WaitForFirstViewAsync()
    {
        if (_watcher is not null)
        {
            await _watcher.FirstView.WaitAsync(_options.DeliveryTimeout).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends pending releases and stops batching them. Calls in progress keep going; new ones throw
    /// <see cref="ObjectDisposedException"/>. Fetches and releases still work (releases are sent at once).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _releaseLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await FlushReleasesAsync().ConfigureAwait(false);
        if (_calls.IsEmpty)
        {
            await StopWatchingAsync().ConfigureAwait(false);
        }
    }

    private async Task StopWatchingAsync()
    {
        if (Interlocked.Exchange(ref _stoppedWatching, 1) != 0)
        {
            return;
        }

        if (_connections is not null)
        {
            _connections.GatewayLost -= _placement.AbandonAll;
        }

        if (_watcher is not null)
        {
            await _watcher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ClusterCallOutcome Lost(ClusterCallOutcome outcome)
    {
        Interlocked.Increment(ref _lost);
        return outcome;
    }

    /// <summary>What the dispatcher knows about a call it runs: where it was sent, and its outcome once it has one.</summary>
    private sealed class CallTrack(bool mayRunAgain)
    {
        private string? _shard;
        private ClusterSilo? _silo;

        /// <summary>Completes with the call's outcome (a dependent is sent once its reference arguments' calls are done).</summary>
        public TaskCompletionSource<ClusterCallOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The key of the shard that holds the call (its result, once it succeeded); null before it is sent.</summary>
        public string? Shard => Volatile.Read(ref _shard);

        /// <summary>The silo of <see cref="Shard"/>.</summary>
        public ClusterSilo? Silo => Volatile.Read(ref _silo);

        /// <summary>The method may run again: its result can be recomputed.</summary>
        public bool MayRunAgain { get; } = mayRunAgain;

        /// <summary>1 while a move of its result is under way.</summary>
        public int Moving;

        public void PlaceAt(string shard, ClusterSilo silo)
        {
            Volatile.Write(ref _silo, silo);
            Volatile.Write(ref _shard, shard);
        }

        /// <summary>The outcome, once done; null before.</summary>
        public ClusterCallOutcome? Outcome => Done.Task.IsCompletedSuccessfully ? Done.Task.Result : null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster call {CallId}: {Fault} ({ExceptionType}: {Error}); retrying.")]
    private static partial void LogRetry(ILogger logger, ClusterCallId callId, DeliveryFault fault, string exceptionType, string error);
}
