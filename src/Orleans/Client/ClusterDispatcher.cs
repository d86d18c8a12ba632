using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
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
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// Runs one call on the cluster and returns its outcome: <see cref="ClusterCallStatus.Succeeded"/> (its result is held
    /// on the cluster for <see cref="FetchAsync"/> and for dependents, and returned here too with
    /// <paramref name="returnResult"/>), Faulted, Cancelled, an argument's failure, or Lost (outcome unknown).
    /// </summary>
    /// <param name="callId">From <see cref="NewCallId"/>; one Run per id.</param>
    /// <param name="methodId">The [Submittable] method's documentation id (<c>IRemoteCall.MethodId</c>).</param>
    /// <param name="arguments">Per parameter: <see cref="ClusterArgument.FromJson"/> or <see cref="Reference"/>.</param>
    /// <param name="returnResult">Return the result JSON with the outcome (saves a <see cref="FetchAsync"/> when the client will read it).</param>
    /// <param name="timeout">Overrides <see cref="OrleansExecutorOptions.CallTimeout"/> for this call.</param>
    /// <param name="cancellationToken">Cancels the call: if it has not started it never runs; if it runs, its token is signalled on the silo.</param>
    /// <param name="watcher">Asked before each message whether the caller now wants the result returned with the outcome, and while
    /// waiting whether it still wants the outcome at all.</param>
    /// <param name="sendFromThreadPool">Register the call now (so references to it and its cancellation work at once), but send it
    /// from the thread pool: the caller returns without waiting for Orleans to serialize and send the message.</param>
    /// <param name="traceContext">The span of the call on the client (<c>PipelinesTelemetry.GetActivityContext</c>); sent as a
    /// W3C <c>traceparent</c> so the silo continues the trace. Default: not traced, nothing is sent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="methodId"/> or <paramref name="arguments"/> (or one of them) is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="methodId"/> is empty, or <paramref name="callId"/> was run before.</exception>
    /// <exception cref="ObjectDisposedException">The dispatcher was disposed.</exception>
    public async Task<ClusterCallOutcome> RunAsync(
        ClusterCallId callId,
        string methodId,
        IReadOnlyList<ClusterArgument> arguments,
        bool returnResult = false,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default,
        ICallWatcher? watcher = null,
        bool sendFromThreadPool = false,
        ActivityContext traceContext = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodId);
        ArgumentNullException.ThrowIfNull(arguments);
        var array = new ClusterArgument[arguments.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = arguments[i] ?? throw new ArgumentNullException(nameof(arguments), $"arguments[{i}] is null.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var track = new CallTrack();
        if (!_calls.TryAdd(callId, track))
        {
            throw new ArgumentException($"Call {callId} was already run through this dispatcher; every Run needs a new id from NewCallId().", nameof(callId));
        }

        ICallShardGrain shard = ShardOf(callId);
        if (cancellationToken.IsCancellationRequested)
        {
            return CancelledBeforeSending(track, shard, callId);
        }

        timeout ??= _options.CallTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            timeout = null;
        }

        if (sendFromThreadPool)
        {
            await default(ThreadPoolSwitch);
        }

        // Hold the call back until the shards of its reference arguments have heard of them: Orleans does not order
        // messages to different grains, and a shard that has heard of a call and then does not know it has lost it.
        try
        {
            foreach (ClusterArgument argument in array)
            {
                if (argument.IsReference && _calls.TryGetValue(argument.Reference, out CallTrack? source) && !source.Heard.Task.IsCompleted)
                {
                    await source.Heard.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CancelledBeforeSending(track, shard, callId);
        }

        ClusterCallRequest? request = null;
        string? traceParent = TraceParent.Format(traceContext);

        long started = Stopwatch.GetTimestamp();
        bool mayHaveArrived = false; // false while every attempt so far was rejected undelivered
        TimeSpan delay = s_firstRetryDelay;
        // Registered before the first send: a Cancel that overtakes its Run leaves a tombstone, so the Run never runs.
        CancellationTokenRegistration cancelRegistration = RegisterCancel(cancellationToken, shard, callId);
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested && !mayHaveArrived)
                {
                    return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled }; // it never reached the cluster
                }

                if (watcher?.Abandoned == true && cancellationToken.IsCancellationRequested)
                {
                    // Nobody waits for the outcome any more (the call ended here, e.g. by its timeout) and the shard was told
                    // to cancel it: stop asking. Whatever it ends with stays on its shard until released.
                    return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled };
                }

                bool wantResult = returnResult || watcher?.WantsResult == true;

                TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                if (timeout is TimeSpan limit && elapsed > limit + _pollInterval)
                {
                    _ = SendCancel(shard, callId);
                    return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Timeout));
                }

                ClusterCallOutcome outcome;
                try
                {
                    if (mayHaveArrived)
                    {
                        outcome = await shard.Wait(callId, _pollInterval, wantResult).ConfigureAwait(false);
                    }
                    else
                    {
                        if (request is null || request.ReturnResult != wantResult)
                        {
                            request = new ClusterCallRequest
                            {
                                CallId = callId,
                                MethodId = methodId,
                                Arguments = array,
                                Timeout = timeout,
                                ReturnResult = wantResult,
                                TraceParent = traceParent,
                                TraceState = traceParent is null ? null : traceContext.TraceState,
                            };
                        }

                        outcome = await shard.Run(request, s_firstWait < _pollInterval ? s_firstWait : _pollInterval).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ClusterFaults.Classify(ex) is DeliveryFault fault && fault != DeliveryFault.NotTransient)
                {
                    if (fault == DeliveryFault.NotDelivered && !mayHaveArrived)
                    {
                        if (elapsed > _options.DeliveryTimeout)
                        {
                            return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Undeliverable));
                        }

                        Interlocked.Increment(ref _redeliveries);
                    }
                    else
                    {
                        // Maybe delivered: from now on only ask. A shard that never heard of it answers Lost.
                        mayHaveArrived = true;

                        Interlocked.Increment(ref _unknownDeliveries);
                    }

                    LogRetry(_logger, callId, fault, ex.GetType().Name, ex.Message);
                    await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
                    continue;
                }

                mayHaveArrived = true;
                track.Heard.TrySetResult(); // dependents held back for it may go now

                delay = s_firstRetryDelay;
                if (outcome.IsDone)
                {
                    if (outcome.Status == ClusterCallStatus.Succeeded && outcome.Result is not null)
                    {
                        Interlocked.Increment(ref _fetches);
                    }

                    return outcome.Status is ClusterCallStatus.Lost ? Lost(outcome) : outcome;
                }
            }
        }
        finally
        {
            track.Heard.TrySetResult(); // done, lost or failed: its shard knows it, or it is gone; either way do not hold dependents
            await cancelRegistration.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the result of a call (waiting for it if it is still running): the outcome with <see cref="ClusterCallOutcome.Result"/>
    /// set when it succeeded, Lost (<see cref="ClusterCallLostReason.NotHeld"/>) if the result is gone. Call it after
    /// <see cref="RunAsync"/> has returned: a read that overtakes the call's Run finds nothing and reports it lost.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the call itself is not cancelled).</exception>
    public async Task<ClusterCallOutcome> FetchAsync(ClusterCallId callId, CancellationToken cancellationToken = default)
    {
        ICallShardGrain shard = ShardOf(callId);
        TimeSpan delay = s_firstRetryDelay;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ClusterCallOutcome outcome;
            try
            {
                outcome = await shard.Wait(callId, _pollInterval, returnResult: true).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ClusterFaults.Classify(ex) != DeliveryFault.NotTransient)
            {
                LogRetry(_logger, callId, ClusterFaults.Classify(ex), ex.GetType().Name, ex.Message);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
                continue;
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
        _calls.TryRemove(callId, out _);
        _releases.Enqueue(callId);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _ = FlushReleasesAsync(); // the batching loop has stopped
        }
    }

    /// <summary>Sends the pending releases now.</summary>
    public async Task FlushReleasesAsync()
    {
        var byShard = new Dictionary<long, List<ClusterCallId>>();
        while (_releases.TryDequeue(out ClusterCallId callId))
        {
            long key = callId.ShardOf(_options.ShardCount);
            if (!byShard.TryGetValue(key, out List<ClusterCallId>? list))
            {
                byShard[key] = list = new List<ClusterCallId>();
            }

            list.Add(callId);
        }

        var sends = new List<Task>(byShard.Count);
        foreach (var (key, list) in byShard)
        {
            sends.Add(SendRelease(key, list.ToArray()));
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

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

    /// <summary>
    /// A call cancelled before it was sent never runs; its shard still gets a Cancel (a tombstone), so a dependent that
    /// references it (dispatched by another path) hears "cancelled" instead of waiting for it.
    /// </summary>
    private ClusterCallOutcome CancelledBeforeSending(CallTrack track, ICallShardGrain shard, ClusterCallId callId)
    {
        _ = SendCancel(shard, callId);
        track.Heard.TrySetResult();
        return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled };
    }

    /// <summary>Cancelling a call that may have reached its shard means telling the shard.</summary>
    private CancellationTokenRegistration RegisterCancel(CancellationToken cancellationToken, ICallShardGrain shard, ClusterCallId callId) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state =>
            {
                var (dispatcher, target, id) = ((ClusterDispatcher, ICallShardGrain, ClusterCallId))state!;
                _ = dispatcher.SendCancel(target, id);
            }, (this, shard, callId))
            : default;

    private ICallShardGrain ShardOf(ClusterCallId callId) => _grains.GetGrain<ICallShardGrain>(callId.ShardOf(_options.ShardCount));

    private ClusterCallOutcome Lost(ClusterCallOutcome outcome)
    {
        Interlocked.Increment(ref _lost);
        return outcome;
    }

    private async Task SendCancel(ICallShardGrain shard, ClusterCallId callId)
    {
        TimeSpan delay = s_firstRetryDelay;
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
                delay = TimeSpan.FromTicks(delay.Ticks * 2);
            }
            catch (Exception ex)
            {
                LogCancelFailed(_logger, callId, ex);
                return;
            }
        }
    }

    private async Task SendRelease(long shard, ClusterCallId[] callIds)
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

    /// <summary>Continues on the thread pool (never on a captured context), as <c>Task.Yield</c> would without one.</summary>
    private readonly struct ThreadPoolSwitch : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public ThreadPoolSwitch GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }

    /// <summary>What the dispatcher knows about a call it runs.</summary>
    private sealed class CallTrack
    {
        /// <summary>Completes when the call's shard has answered once (it knows the call), or the call ended.</summary>
        public TaskCompletionSource Heard { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster call {CallId}: {Fault} ({ExceptionType}: {Error}); retrying.")]
    private static partial void LogRetry(ILogger logger, ClusterCallId callId, DeliveryFault fault, string exceptionType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling cluster call {CallId} failed.")]
    private static partial void LogCancelFailed(ILogger logger, ClusterCallId callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Releasing {Count} results on shard {Shard} failed; they expire with the result TTL.")]
    private static partial void LogReleaseFailed(ILogger logger, int count, long shard, Exception exception);
}
