using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;
using Pipelines.Diagnostics;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// The silo side of <see cref="ICallShardGrain"/>: a table of calls keyed by call id. Reentrant, so long waits
/// interleave; every turn runs on the activation's scheduler, so the table needs no lock. The methods themselves run on
/// the silo's <see cref="SiloCallRunner"/>, never on this grain's turn.
/// </summary>
/// <remarks>
/// Kept alive while the silo lives (<see cref="KeepAliveAttribute"/>): results live in memory, and idle collection
/// would drop them. Immovable: activation rebalancing must not migrate it (results are not migrated).
/// </remarks>
[Reentrant, KeepAlive, Immovable, ActivationCountBasedPlacement]
internal sealed partial class CallShardGrain : Grain, ICallShardGrain
{
    private readonly SiloCallRunner _runner;
    private readonly ILogger<CallShardGrain> _logger;
    private readonly Dictionary<ClusterCallId, CallEntry> _calls = new();
    private long _started;
    private long _clientReads;
    private long _dependentReads;
    private long _crossSiloReads;
    private long _cancelledWhileRunning;
    private IGrainTimer? _sweeper;
    private bool _localHostStopping;

    public CallShardGrain(SiloCallRunner runner, ILogger<CallShardGrain> logger)
    {
        _runner = runner;
        _logger = logger;
    }

    private PipelinesSiloOptions Options => _runner.Options;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        TimeSpan period = TimeSpan.FromTicks(Math.Max(Options.ResultTimeToLive.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        _sweeper = this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The silo is going away (or the activation is being removed): what this shard holds is lost. Calls still
        // waiting or running are cancelled, and everyone waiting on them hears "lost" now rather than timing out.
        _sweeper?.Dispose();
        foreach (CallEntry entry in _calls.Values)
        {
            if (!entry.IsDone)
            {
                entry.Finish(ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost, RuntimeIdentity), null);
                entry.CancelRun();
            }
        }

        LogDeactivating(_logger, this.GetPrimaryKeyLong(), _calls.Count, reason.Description);
        _calls.Clear();
        return Task.CompletedTask;
    }

    public async Task<ClusterCallOutcome> Run(ClusterCallRequest request, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_calls.TryGetValue(request.CallId, out CallEntry? entry))
        {
            entry = new CallEntry(request.CallId);
            _calls.Add(request.CallId, entry);
            StartRun(entry, request);
        }
        else if (entry.State == EntryState.Expected)
        {
            StartRun(entry, request); // a dependent asked for it first: the Run overtook nothing, it just arrived later
        }

        // Otherwise a repeated Run (sent again after a rejection that had in fact arrived): known, so never run twice.
        return await WaitFor(entry, maxWait, request.ReturnResult);
    }

    public async Task<ClusterCallOutcome> Wait(ClusterCallId callId, TimeSpan maxWait, bool returnResult)
    {
        if (!_calls.TryGetValue(callId, out CallEntry? entry) || entry.State == EntryState.Expected)
        {
            // The client sent this call's Run before asking, so a shard that does not know it has lost it (a fresh
            // activation after its silo died) or released it. Remember that, so a late duplicate never runs it and
            // dependents waiting for it hear the same.
            return MarkLost(callId, entry);
        }

        return await WaitFor(entry, maxWait, returnResult);
    }

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

    public Task Cancel(ClusterCallId callId)
    {
        if (!_calls.TryGetValue(callId, out CallEntry? entry))
        {
            // The Cancel overtook the Run: remember it, so the Run ends cancelled without running.
            entry = new CallEntry(callId);
            _calls.Add(callId, entry);
            entry.Finish(new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled, Silo = RuntimeIdentity }, null);
        }
        else if (entry.State == EntryState.Expected)
        {
            entry.Finish(new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled, Silo = RuntimeIdentity }, null);
        }
        else if (!entry.IsDone)
        {
            entry.CancelRequested = true;
            entry.CancelRun();
        }

        return Task.CompletedTask;
    }

    public Task Release(ClusterCallId[] callIds)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (ClusterCallId callId in callIds)
        {
            if (_calls.TryGetValue(callId, out CallEntry? entry))
            {
                if (entry.IsDone)
                {
                    _calls.Remove(callId);
                }
                else
                {
                    entry.Released = true; // dropped when it finishes
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<ShardStats> GetStats() => Task.FromResult(new ShardStats
    {
        Silo = RuntimeIdentity,
        Started = _started,
        ClientReads = _clientReads,
        DependentReads = _dependentReads,
        CrossSiloReads = _crossSiloReads,
        Held = _calls.Count,
        CancelledWhileRunning = _cancelledWhileRunning,
    });

    private void StartRun(CallEntry entry, ClusterCallRequest request)
    {
        entry.State = EntryState.Waiting;
        entry.Cancellation = new CancellationTokenSource();
        if (request.Timeout is TimeSpan timeout)
        {
            entry.Cancellation.CancelAfter(timeout);
        }

        _ = RunCall(entry, request); // never throws: every path finishes the entry
    }

    private async Task RunCall(CallEntry entry, ClusterCallRequest request)
    {
        CancellationToken token = entry.Cancellation!.Token;
        ClusterCallOutcome outcome;
        byte[]? result = null;
        Activity? span = null;
        Exception? failure = null;
        try
        {
            ClusterArgument[] arguments = request.Arguments;
            var values = new byte[arguments.Length][];
            for (int i = 0; i < arguments.Length; i++)
            {
                if (!arguments[i].IsReference)
                {
                    values[i] = arguments[i].Json!;
                    continue;
                }

                ClusterCallOutcome argument = await ResolveReference(arguments[i], token);
                if (argument.Status != ClusterCallStatus.Succeeded)
                {
                    Finish(entry, ArgumentOutcome(argument, i), null);
                    return;
                }

                values[i] = argument.Result!;
            }

            token.ThrowIfCancellationRequested();
            entry.State = EntryState.Running;
            _started++;

            // A traced call runs inside a span that continues the client's call span (null when none was sent). Current
            // while the call is handed to the silo's worker pool, so the pool's span for it, and the spans the method
            // opens, are its descendants.
            span = PipelinesTelemetry.StartRemoteActivity(request.MethodId, request.TraceParent, request.TraceState);
            result = await _runner.RunAsync(request.MethodId, JoinArray(values), token);
            outcome = new ClusterCallOutcome { Status = ClusterCallStatus.Succeeded, Silo = RuntimeIdentity };
        }
        catch (Exception) when (_runner.IsStopping || IsLocalHostStopping())
        {
            // The silo is going away under the call (its executor shut down, or Orleans refuses our own messages):
            // that is not the method's fault, and whether it ran is unknown.
            outcome = ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost, RuntimeIdentity);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (entry.State == EntryState.Running)
            {
                _cancelledWhileRunning++;
            }

            outcome = new ClusterCallOutcome
            {
                Status = ClusterCallStatus.Cancelled,
                Silo = RuntimeIdentity,
                TimedOut = !entry.CancelRequested && request.Timeout is not null,
            };
        }
        catch (Exception ex)
        {
            failure = ex;
            outcome = new ClusterCallOutcome { Status = ClusterCallStatus.Faulted, Error = ClusterError.From(ex), Silo = RuntimeIdentity };
        }

        if (span is not null)
        {
            EndSpan(span, failure);
        }

        Finish(entry, outcome, result);
    }

    /// <summary>Reads a reference argument from its shard (this one, or another, on this silo or another).</summary>
    private async Task<ClusterCallOutcome> ResolveReference(ClusterArgument argument, CancellationToken cancellationToken)
    {
        long shardKey = argument.ReferenceShard;
        bool local = shardKey == this.GetPrimaryKeyLong();
        ICallShardGrain shard = GrainFactory.GetGrain<ICallShardGrain>(shardKey);
        DateTime unreachableSince = DateTime.MaxValue;
        TimeSpan delay = TimeSpan.FromMilliseconds(20);
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
                delay = TimeSpan.FromMilliseconds(20);
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
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
                continue;
            }

            if (outcome.IsDone)
            {
                return outcome;
            }
        }
    }

    private bool IsLocalHostStopping() => _localHostStopping;

    /// <summary>Ends a call's silo span; a method that threw marks it failed (OpenTelemetry's <c>exception</c> event).</summary>
    private static void EndSpan(Activity span, Exception? failure)
    {
        if (failure is not null && span.IsAllDataRequested)
        {
            string type = failure.GetType().FullName ?? failure.GetType().Name;
            span.SetStatus(ActivityStatusCode.Error, failure.Message);
            span.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                { "exception.type", type },
                { "exception.message", failure.Message },
                { "exception.stacktrace", failure.ToString() },
            }));
        }

        span.Stop();
    }

    private static ClusterCallOutcome ArgumentOutcome(ClusterCallOutcome argument, int index) => new()
    {
        Status = argument.Status switch
        {
            ClusterCallStatus.Faulted or ClusterCallStatus.ArgumentFaulted => ClusterCallStatus.ArgumentFaulted,
            ClusterCallStatus.Cancelled or ClusterCallStatus.ArgumentCancelled => ClusterCallStatus.ArgumentCancelled,
            _ => ClusterCallStatus.ArgumentLost,
        },
        ArgumentIndex = index,
        Error = argument.Error,
        LostReason = argument.LostReason,
        Silo = argument.Silo,
    };

    private void Finish(CallEntry entry, ClusterCallOutcome outcome, byte[]? result)
    {
        entry.Finish(outcome, result);
        entry.Cancellation?.Dispose();
        entry.Cancellation = null;
        if (entry.Released && _calls.TryGetValue(entry.Id, out CallEntry? held) && ReferenceEquals(held, entry))
        {
            _calls.Remove(entry.Id);
        }
    }

    private ClusterCallOutcome MarkLost(ClusterCallId callId, CallEntry? placeholder)
    {
        ClusterCallOutcome lost = ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity);
        if (placeholder is null)
        {
            placeholder = new CallEntry(callId);
            _calls.Add(callId, placeholder);
        }

        placeholder.Finish(lost, null);
        return lost;
    }

    private async Task<ClusterCallOutcome> WaitFor(CallEntry entry, TimeSpan maxWait, bool returnResult)
    {
        await WaitDone(entry, maxWait);
        if (!entry.IsDone)
        {
            return ClusterCallOutcome.PendingOutcome;
        }

        entry.Touch();
        if (returnResult && entry.Outcome!.Status == ClusterCallStatus.Succeeded)
        {
            _clientReads++;
            return WithResult(entry);
        }

        return entry.Outcome!;
    }

    private static async Task WaitDone(CallEntry entry, TimeSpan maxWait)
    {
        if (!entry.IsDone && maxWait > TimeSpan.Zero)
        {
            // Suppressed: a timeout just means "not yet"; the continuation stays on this activation's scheduler.
            await entry.Done.Task.WaitAsync(maxWait).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static ClusterCallOutcome WithResult(CallEntry entry) => new()
    {
        Status = ClusterCallStatus.Succeeded,
        Result = entry.Result,
        Silo = entry.Outcome!.Silo,
    };

    /// <summary>Drops results nobody touched for <see cref="PipelinesSiloOptions.ResultTimeToLive"/>, and placeholders nobody ran.</summary>
    private Task Sweep()
    {
        long expiredBefore = Environment.TickCount64 - (long)Options.ResultTimeToLive.TotalMilliseconds;
        List<ClusterCallId>? expired = null;
        foreach (CallEntry entry in _calls.Values)
        {
            if (entry.TouchedAt < expiredBefore && (entry.IsDone || entry.State == EntryState.Expected))
            {
                (expired ??= new()).Add(entry.Id);
            }
        }

        if (expired is not null)
        {
            foreach (ClusterCallId callId in expired)
            {
                CallEntry entry = _calls[callId];
                entry.Finish(ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity), null); // placeholders: their waiters hear "lost"
                _calls.Remove(callId);
            }

            LogExpired(_logger, this.GetPrimaryKeyLong(), expired.Count);
        }

        return Task.CompletedTask;
    }

    /// <summary>Joins argument JSON values into one JSON array, the invoker's input.</summary>
    private static byte[] JoinArray(byte[][] values)
    {
        int length = 2 + Math.Max(0, values.Length - 1);
        foreach (byte[] value in values)
        {
            length += value.Length;
        }

        byte[] array = new byte[length];
        int position = 0;
        array[position++] = (byte)'[';
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                array[position++] = (byte)',';
            }

            values[i].CopyTo(array, position);
            position += values[i].Length;
        }

        array[position] = (byte)']';
        return array;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines shard {Shard} deactivating with {Count} calls held ({Reason}); they are lost.")]
    private static partial void LogDeactivating(ILogger logger, long shard, int count, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading argument call {CallId} from shard {Shard} failed ({Error}); retrying.")]
    private static partial void LogReferenceRetry(ILogger logger, ClusterCallId callId, long shard, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pipelines shard {Shard} dropped {Count} expired results.")]
    private static partial void LogExpired(ILogger logger, long shard, int count);

    private enum EntryState
    {
        /// <summary>A dependent asked for it before its Run arrived.</summary>
        Expected,

        /// <summary>Resolving reference arguments, or queued for a worker thread.</summary>
        Waiting,

        /// <summary>The method is running.</summary>
        Running,

        /// <summary>Finished: <see cref="CallEntry.Outcome"/> is set.</summary>
        Done,
    }

    private sealed class CallEntry
    {
        public CallEntry(ClusterCallId id)
        {
            Id = id;
            TouchedAt = Environment.TickCount64;
        }

        public ClusterCallId Id { get; }

        public EntryState State { get; set; } = EntryState.Waiting;

        public ClusterCallOutcome? Outcome { get; private set; }

        public byte[]? Result { get; private set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource? Cancellation { get; set; }

        public bool CancelRequested { get; set; }

        public bool Released { get; set; }

        public long TouchedAt { get; private set; }

        public bool IsDone => State == EntryState.Done;

        public void Touch() => TouchedAt = Environment.TickCount64;

        public void Finish(ClusterCallOutcome outcome, byte[]? result)
        {
            if (IsDone)
            {
                return;
            }

            State = EntryState.Done;
            Outcome = outcome;
            Result = result;
            Touch();
            Done.TrySetResult();
        }

        public void CancelRun()
        {
            try
            {
                Cancellation?.Cancel();
            }
            catch (AggregateException)
            {
                // A token callback threw; the call still ends, cancelled or not.
            }
        }
    }
}
