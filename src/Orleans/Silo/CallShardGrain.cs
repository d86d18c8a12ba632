using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// The silo side of <see cref="ICallShardGrain"/>: a table of calls keyed by call id. Reentrant, so long waits
/// interleave; every turn runs on the activation's scheduler, so the table needs no lock. The methods themselves run on
/// the silo's <see cref="SiloCallRunner"/>, never on this grain's turn.
/// </summary>
/// <remarks>
/// Placed on the silo its key names (<see cref="SiloPinnedPlacementAttribute"/>): clients choose where calls run. Kept
/// alive while the silo lives (<see cref="KeepAliveAttribute"/>): results live in memory, and idle collection would drop
/// them. Immovable: activation rebalancing must not migrate it (results are not migrated; a draining silo's clients move
/// them with <see cref="Adopt"/>).
/// </remarks>
[Reentrant, KeepAlive, Immovable, SiloPinnedPlacement]
internal sealed partial class CallShardGrain : Grain, ICallShardGrain
{
    /// <summary>Results up to this many bytes go back with every final answer to the client, asked for or not.</summary>
    private const int SmallResult = 512;

    private readonly SiloCallRunner _runner;
    private readonly ClusterViewService _view;
    private readonly ILogger<CallShardGrain> _logger;
    private readonly Dictionary<ClusterCallId, CallEntry> _calls = new();
    private long _started;
    private long _clientReads;
    private long _dependentReads;
    private long _crossSiloReads;
    private long _cancelledWhileRunning;
    private long _handedBack;
    private IGrainTimer? _sweeper;
    private bool _localHostStopping;
    private bool _draining;
    private bool _isFallback; // the silo this shard's key names was gone when it was activated here

    public CallShardGrain(SiloCallRunner runner, ClusterViewService view, ILogger<CallShardGrain> logger)
    {
        _runner = runner;
        _view = view;
        _logger = logger;
    }

    private PipelinesSiloOptions Options => _runner.Options;

    public async Task<ClusterCallOutcome> Run(ClusterCallRequest request, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_calls.TryGetValue(request.CallId, out CallEntry? entry) && entry.IsDone && request.Resend > entry.Resend
            && entry.Outcome!.Status is ClusterCallStatus.HandedBack or ClusterCallStatus.ArgumentLost)
        {
            _calls.Remove(request.CallId); // it never ran here, and its client sends it again: start afresh
            entry = null;
        }

        if (entry is null && request.Repeat && _isFallback)
        {
            // Sent again after its answer was lost, to a key whose silo is gone: whether that silo ran it is unknown.
            return MarkLost(request.CallId, null).WithBacklog(_runner.Backlog);
        }

        if (entry is null)
        {
            entry = new CallEntry(request.CallId) { MayRunAgain = request.MayRunAgain, Resend = request.Resend };
            _calls.Add(request.CallId, entry);
            if (_draining)
            {
                HandBack(entry); // a draining silo takes no new calls
            }
            else
            {
                StartRun(entry, request);
            }
        }
        else if (entry.State == EntryState.Expected)
        {
            // A dependent asked for it first: the Run overtook nothing, it just arrived later.
            entry.MayRunAgain = request.MayRunAgain;
            if (_draining)
            {
                HandBack(entry);
            }
            else
            {
                StartRun(entry, request);
            }
        }

        // Otherwise a repeated Run (sent again after a rejection that had in fact arrived, or after a dropped connection):
        // known, so never run twice.
        return await WaitFor(entry, maxWait, request.ReturnResult);
    }

    public async Task<ClusterCallOutcome> Wait(ClusterCallId callId, TimeSpan maxWait, bool returnResult)
    {
        if (!_calls.TryGetValue(callId, out CallEntry? entry) || entry.State == EntryState.Expected)
        {
            // The client sent this call's Run before asking, so a shard that does not know it has lost it (a fresh
            // activation after its silo died) or released it. Remember that, so a late duplicate never runs it and
            // dependents waiting for it hear the same.
            return MarkLost(callId, entry).WithBacklog(_runner.Backlog);
        }

        return await WaitFor(entry, maxWait, returnResult);
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

    public Task<ShardStats> GetStats() => Task.FromResult(new ShardStats
    {
        Silo = RuntimeIdentity,
        Key = this.GetPrimaryKeyString(),
        Started = _started,
        ClientReads = _clientReads,
        DependentReads = _dependentReads,
        CrossSiloReads = _crossSiloReads,
        Held = _calls.Count,
        CancelledWhileRunning = _cancelledWhileRunning,
        HandedBack = _handedBack,
    });

    private ClusterCallOutcome MarkLost(ClusterCallId callId, CallEntry? placeholder)
    {
        ClusterCallOutcome lost = ClusterCallOutcome.Lost(ClusterCallLostReason.NotHeld, RuntimeIdentity);
        if (placeholder is null)
        {
            placeholder = new CallEntry(callId);
            _calls.Add(callId, placeholder);
        }

        placeholder.Finish(lost, null);
        placeholder.Delivered = true;
        return lost;
    }

    private async Task<ClusterCallOutcome> WaitFor(CallEntry entry, TimeSpan maxWait, bool returnResult)
    {
        await WaitDone(entry, maxWait);
        if (!entry.IsDone)
        {
            return ClusterCallOutcome.PendingOutcome.WithBacklog(_runner.Backlog);
        }

        entry.Touch();
        entry.Delivered = true;
        if (entry.Outcome!.Status == ClusterCallStatus.Succeeded && (returnResult || entry.Result!.Length <= SmallResult))
        {
            // Asked for, or small enough to go along anyway: a client that started to wait for it after it sent the Run
            // (the usual `await executor.SubmitX(…)`) then needs no second round trip; one that does not want it drops it.
            if (returnResult)
            {
                _clientReads++;
            }

            return WithResult(entry);
        }

        return entry.Outcome!.WithBacklog(_runner.Backlog);
    }

    private static async Task WaitDone(CallEntry entry, TimeSpan maxWait)
    {
        if (!entry.IsDone && maxWait > TimeSpan.Zero)
        {
            // Suppressed: a timeout just means "not yet"; the continuation stays on this activation's scheduler.
            await entry.Done.Task.WaitAsync(maxWait).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private ClusterCallOutcome WithResult(CallEntry entry) => new()
    {
        Status = ClusterCallStatus.Succeeded,
        Result = entry.Result,
        Silo = entry.Outcome!.Silo,
        Backlog = _runner.Backlog,
    };
}
