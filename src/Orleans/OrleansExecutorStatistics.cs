using System.Collections.Generic;
using System.Globalization;

namespace Pipelines.Orleans;

/// <summary>What an <see cref="OrleansExecutor"/> has done so far (<see cref="OrleansExecutor.GetStatistics"/>): a snapshot.</summary>
public sealed record OrleansExecutorStatistics
{
    /// <summary>Attempts sent to the cluster: one per call, plus retries, redispatches and recomputes.</summary>
    public long CallsSent { get; init; }

    /// <summary>
    /// Values the client read from the cluster: returned with a call's outcome because something here waited for it, or
    /// fetched on first read. Values that went from silo to silo as arguments are not counted.
    /// </summary>
    public long ValuesRead { get; init; }

    /// <summary>Sends repeated because the cluster rejected them undelivered (safe: they never arrived).</summary>
    public long Redelivered { get; init; }

    /// <summary>Attempts whose outcome was unknown (their silo died, or no answer came within the call timeout).</summary>
    public long LostOutcomes { get; init; }

    /// <summary>Results recomputed after they were lost with their silo (methods with <c>[Submittable(Retries = n)]</c>).</summary>
    public long Recomputed { get; init; }

    /// <summary>Calls sent again because an argument's result was lost or came from an outdated attempt (they had not run).</summary>
    public long Redispatched { get; init; }

    /// <summary>Calls whose results the cluster may still hold for this executor (released when their futures are collected).</summary>
    public int HeldResults { get; init; }

    /// <summary>Calls a draining silo handed back without running them; each was sent to another silo.</summary>
    public long HandedBack { get; init; }

    /// <summary>Results moved off a draining silo to another one (so nothing has to recompute them).</summary>
    public long MovedResults { get; init; }

    /// <summary>Successful attempts per silo address.</summary>
    public IReadOnlyDictionary<string, long> SucceededBySilo { get; init; } = new Dictionary<string, long>();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"sent {CallsSent}, values read {ValuesRead}, redelivered {Redelivered}, lost {LostOutcomes}, recomputed {Recomputed}, redispatched {Redispatched}, handed back {HandedBack}, moved {MovedResults}, held {HeldResults}");
}
