using System;
using System.Collections.Concurrent;
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
/// <para>Delivery: a Run the cluster rejected (never delivered) is sent again, for up to
/// <see cref="OrleansExecutorOptions.DeliveryTimeout"/>. A Run or wait whose fate is unknown (a timeout, the silo died
/// with it outstanding) is followed by a wait on the call's shard: the same activation answers with the outcome; a
/// fresh one (the old silo is dead) does not know the call and answers <see cref="ClusterCallStatus.Lost"/>, which is
/// final — the call is never run twice by the dispatcher.</para>
/// <para>Thread-safe; <see cref="RunAsync"/> and <see cref="FetchAsync"/> never throw for a call's own outcome (they
/// return it), only for misuse, disposal, or a local client that is shutting down. Once disposed, it runs no new call,
/// but still fetches and releases results (an executor's futures stay readable after it shut down).</para>
/// </remarks>
internal sealed partial class ClusterDispatcher : IAsyncDisposable
{
    // The first Run waits only this long for the outcome, so a dependent held back until its arguments' shards have
    // heard of them (see RunAsync) is held back briefly; a short call still completes in one round trip.
    private static readonly TimeSpan s_firstWait = TimeSpan.FromMilliseconds(100);

    private readonly IGrainFactory _grains;
    private readonly OrleansExecutorOptions _options;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly long _session;
    private readonly ConcurrentDictionary<ClusterCallId, CallTrack> _calls = new(); // calls run through here and not released
    private readonly ConcurrentQueue<ClusterCallId> _releases = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _releaseLoop;
    private long _sequence;
    private long _redeliveries;
    private long _unknownDeliveries;
    private long _lost;
    private long _fetches;
    private int _disposed;

    /// <summary>Creates a dispatcher that sends calls through <paramref name="grains"/> (an <c>IClusterClient</c>, or a silo's grain factory).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it), e.g. a
    /// <see cref="OrleansExecutorOptions.PollInterval"/> longer than half the client's Orleans response timeout.</exception>
    public ClusterDispatcher(IGrainFactory grains, OrleansExecutorOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _options = options?.Clone() ?? new OrleansExecutorOptions();
        _options.Validate(nameof(options));
        TimeSpan? responseTimeout = grains is IClusterClient client
            ? ((MessagingOptions?)client.ServiceProvider.GetService<IOptions<ClientMessagingOptions>>()?.Value
                ?? client.ServiceProvider.GetService<IOptions<SiloMessagingOptions>>()?.Value)?.ResponseTimeout
            : null;
        _pollInterval = PipelinesSiloOptions.EffectivePollInterval(_options.PollInterval, responseTimeout, nameof(OrleansExecutorOptions.PollInterval), nameof(options));

        _grains = grains;
        _logger = logger ?? NullLogger.Instance;
        Span<byte> session = stackalloc byte[8];
        RandomNumberGenerator.Fill(session);
        _session = BitConverter.ToInt64(session) & long.MaxValue;
        _releaseLoop = ReleaseLoop();
    }

    /// <summary>The options in force (a copy of those passed in).</summary>
    public OrleansExecutorOptions Options => _options;

    /// <summary>How long one wait for an outcome lasts: <see cref="OrleansExecutorOptions.PollInterval"/>, or its default for this client.</summary>
    public TimeSpan PollInterval => _pollInterval;

    /// <summary>Runs that were sent again because the cluster rejected them undelivered.</summary>
    public long Redeliveries => Interlocked.Read(ref _redeliveries);

    /// <summary>Runs or waits whose delivery was unknown and were followed by a wait on the shard.</summary>
    public long UnknownDeliveries => Interlocked.Read(ref _unknownDeliveries);

    /// <summary>Calls that ended <see cref="ClusterCallStatus.Lost"/>.</summary>
    public long LostCalls => Interlocked.Read(ref _lost);

    /// <summary>Results the client read (<see cref="FetchAsync"/>, or <see cref="RunAsync"/> with <c>returnResult</c>).</summary>
    public long ResultReads => Interlocked.Read(ref _fetches);

    /// <summary>The random session that every call id of this dispatcher carries.</summary>
    public long Session => _session;

    /// <summary>A new call id, unique across the cluster (a random session per dispatcher, then a sequence).</summary>
    public ClusterCallId NewCallId() => new(_session, Interlocked.Increment(ref _sequence));

    /// <summary>
    /// An argument that is the result of call <paramref name="callId"/>, read silo to silo where the dependent call runs.
    /// The referenced call must have been passed to <see cref="RunAsync"/> already (it may still be running) and not
    /// released. <see cref="RunAsync"/> sends the dependent only once the referenced call's shard has heard of it, so
    /// a shard that does not know it has lost it: the dependent then ends <see cref="ClusterCallStatus.ArgumentLost"/>
    /// at once instead of waiting. (A call of another dispatcher is referenced as possibly in flight: its shard waits
    /// for it, up to the result TTL.)
    /// </summary>
    public ClusterArgument Reference(ClusterCallId callId) => new()
    {
        Reference = callId,
        ReferenceShard = callId.ShardOf(_options.ShardCount),
        ReferenceMayBeInFlight = !_calls.ContainsKey(callId),
    };

    /// <summary>The counters of every shard (activating those not yet active), for tests and displays.</summary>
    public async Task<ShardStats[]> GetShardStatsAsync()
    {
        var all = new Task<ShardStats>[_options.ShardCount];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = _grains.GetGrain<ICallShardGrain>(i).GetStats();
        }

        return await Task.WhenAll(all).ConfigureAwait(false);
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
        _stopping.Dispose();
    }

    private ICallShardGrain ShardOf(ClusterCallId callId) => _grains.GetGrain<ICallShardGrain>(callId.ShardOf(_options.ShardCount));

    private ClusterCallOutcome Lost(ClusterCallOutcome outcome)
    {
        Interlocked.Increment(ref _lost);
        return outcome;
    }

    /// <summary>What the dispatcher knows about a call it runs.</summary>
    private sealed class CallTrack
    {
        /// <summary>Completes when the call's shard has answered once (it knows the call), or the call ended.</summary>
        public TaskCompletionSource Heard { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster call {CallId}: {Fault} ({ExceptionType}: {Error}); retrying.")]
    private static partial void LogRetry(ILogger logger, ClusterCallId callId, DeliveryFault fault, string exceptionType, string error);
}
