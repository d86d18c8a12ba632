using System;
using Orleans;
using Pipelines.Remoting;

namespace Pipelines.Orleans.Cluster;

// The messages between the client dispatcher and the shard grains, and between shard grains. Only these types cross
// the wire through Orleans' serializer; user values travel inside them as UTF-8 JSON, so user types need no Orleans
// codec (a missing codec in a grain signature stops every silo from starting).

/// <summary>One argument of a call: inline JSON, or a reference to the result of another call on the cluster.</summary>
[GenerateSerializer, Immutable, Alias("pipelines.arg")]
internal sealed class ClusterArgument
{
    /// <summary>The argument's JSON (one JSON value), or null for a reference.</summary>
    [Id(0)] public byte[]? Json { get; init; }

    /// <summary>The call whose result is this argument, for a reference.</summary>
    [Id(1)] public ClusterCallId Reference { get; init; }

    /// <summary>The key of the shard grain that holds <see cref="Reference"/>'s result (<see cref="ShardKey"/>); null if unknown.</summary>
    [Id(2)] public string? ReferenceShard { get; init; }

    /// <summary>
    /// True when the referenced call's Run may still be on its way to its shard (the dispatcher has not heard back
    /// yet): the shard then waits for it instead of reporting it lost.
    /// </summary>
    [Id(3)] public bool ReferenceMayBeInFlight { get; init; }

    /// <summary>True for a reference to another call's result.</summary>
    public bool IsReference => Json is null;

    /// <summary>An inline argument.</summary>
    public static ClusterArgument FromJson(byte[] json) => new() { Json = json ?? throw new ArgumentNullException(nameof(json)) };
}

/// <summary>A call to run: what, with which arguments, how long it may take.</summary>
[GenerateSerializer, Immutable, Alias("pipelines.request")]
internal sealed class ClusterCallRequest
{
    [Id(0)] public ClusterCallId CallId { get; init; }

    /// <summary>The method's documentation-comment id, the key of <c>RemoteCalls</c>.</summary>
    [Id(1)] public string MethodId { get; init; } = string.Empty;

    [Id(2)] public ClusterArgument[] Arguments { get; init; } = Array.Empty<ClusterArgument>();

    /// <summary>Cancel the call on the silo when it has run this long (null: no limit).</summary>
    [Id(3)] public TimeSpan? Timeout { get; init; }

    /// <summary>Return the result JSON with the outcome (the client reads it now) instead of only holding it.</summary>
    [Id(4)] public bool ReturnResult { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the call's span on the client, when it is traced: the silo runs the method inside a
    /// span that continues it. Null when nothing listens on the client.
    /// </summary>
    [Id(5)] public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>, if any.</summary>
    [Id(6)] public string? TraceState { get; init; }

    /// <summary>
    /// The method may run again (<c>[Submittable(Retries = n)]</c>), so its result can be recomputed: a draining silo
    /// need not keep it until the client has moved it elsewhere.
    /// </summary>
    [Id(7)] public bool MayRunAgain { get; init; }

    /// <summary>
    /// This Run may have arrived before (it is sent again after a wait for its answer was abandoned, e.g. when a gateway
    /// connection dropped). The shard on the silo its key names runs it if it never got it; a shard activated elsewhere
    /// because that silo is gone cannot know, and reports it lost instead.
    /// </summary>
    [Id(8)] public bool Repeat { get; init; }

    /// <summary>
    /// How many times the call was sent again after a shard answered that it did not run it (handed back, or an argument
    /// moved): a shard that gave such an answer to an earlier send runs a later one.
    /// </summary>
    [Id(9)] public int Resend { get; init; }
}

/// <summary>Where a call is.</summary>
internal enum ClusterCallStatus : byte
{
    /// <summary>Not finished yet (a wait ran out of time); ask again.</summary>
    Pending = 0,

    /// <summary>The method returned; its result is held by the shard until released.</summary>
    Succeeded = 1,

    /// <summary>The method threw (<see cref="ClusterCallOutcome.Error"/>).</summary>
    Faulted = 2,

    /// <summary>The call was cancelled: before it ran, or its token fired and it stopped.</summary>
    Cancelled = 3,

    /// <summary>An argument's call faulted (<see cref="ClusterCallOutcome.ArgumentIndex"/>); the method did not run.</summary>
    ArgumentFaulted = 4,

    /// <summary>An argument's call was cancelled; the method did not run.</summary>
    ArgumentCancelled = 5,

    /// <summary>
    /// The outcome is unknown: the silo holding the call died while it ran, the call timed out without an answer,
    /// or its result was lost, released or expired (<see cref="ClusterCallOutcome.LostReason"/>).
    /// </summary>
    Lost = 6,

    /// <summary>An argument's result was lost; the method did not run (<see cref="ClusterCallOutcome.ArgumentIndex"/>).</summary>
    ArgumentLost = 7,

    /// <summary>
    /// The silo handed the call back without running it (it is draining: it takes no new calls and gives back those that
    /// have not started). Safe to send elsewhere under the same id.
    /// </summary>
    HandedBack = 8,
}

/// <summary>
/// An exception thrown on a silo, by name (the original cannot cross the wire): a <see cref="RemoteExceptionRecord"/> in
/// Orleans' serializer, which the client rebuilds with a <see cref="RemoteExceptionFactory"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("pipelines.error")]
internal sealed class ClusterError
{
    [Id(0)] public string TypeName { get; init; } = string.Empty;

    [Id(1)] public string Message { get; init; } = string.Empty;

    [Id(2)] public string? StackTrace { get; init; }

    /// <summary>The <see cref="ArgumentException.ParamName"/> of the argument family; null otherwise.</summary>
    [Id(3)] public string? ParamName { get; init; }

    [Id(4)] public ClusterError? Inner { get; init; }

    public static ClusterError From(Exception exception) => From(RemoteExceptionRecord.From(exception));

    private static ClusterError From(RemoteExceptionRecord record) => new()
    {
        TypeName = record.TypeName,
        Message = record.Message,
        StackTrace = record.StackTrace,
        ParamName = record.ParamName,
        Inner = record.Inner is { } inner ? From(inner) : null,
    };

    /// <summary>The record this error carries, with at most <see cref="RemoteExceptionRecord.MaxDepth"/> records in its chain.</summary>
    public RemoteExceptionRecord ToRecord(int depth = 0) =>
        new(TypeName, Message, ParamName, StackTrace, Inner is { } inner && depth + 1 < RemoteExceptionRecord.MaxDepth ? inner.ToRecord(depth + 1) : null);
}

/// <summary>What became of a call (or where it is, for <see cref="ClusterCallStatus.Pending"/>).</summary>
[GenerateSerializer, Immutable, Alias("pipelines.outcome")]
internal sealed class ClusterCallOutcome
{
    [Id(0)] public ClusterCallStatus Status { get; init; }

    /// <summary>The result JSON, when the call succeeded and the result was asked for (or is small: it then comes along anyway).</summary>
    [Id(1)] public byte[]? Result { get; init; }

    [Id(2)] public ClusterError? Error { get; init; }

    /// <summary>For the Argument* statuses: which argument (0-based).</summary>
    [Id(3)] public int ArgumentIndex { get; init; } = -1;

    [Id(4)] public ClusterCallLostReason LostReason { get; init; }

    /// <summary>The silo that ran (or holds) the call, for diagnostics; null if unknown.</summary>
    [Id(5)] public string? Silo { get; init; }

    /// <summary>True when a Cancelled call was cancelled by its own timeout.</summary>
    [Id(6)] public bool TimedOut { get; init; }

    /// <summary>
    /// Calls waiting for a worker thread on the answering silo when it answered (-1: not reported). The client sends a
    /// silo more calls while it reports none waiting, fewer while many wait (<c>SiloSlots</c>).
    /// </summary>
    [Id(7)] public int Backlog { get; init; } = -1;

    /// <summary>True for every status but <see cref="ClusterCallStatus.Pending"/>.</summary>
    public bool IsDone => Status != ClusterCallStatus.Pending;

    internal static readonly ClusterCallOutcome PendingOutcome = new() { Status = ClusterCallStatus.Pending };

    /// <summary>
    /// How a call ends, unrun, when its argument <paramref name="index"/> ended with this (failed) outcome: the argument's
    /// failure, cancellation or loss, with its error, reason and silo. Client and silos end a dependent alike.
    /// </summary>
    internal ClusterCallOutcome AsArgumentOutcome(int index) => new()
    {
        Status = Status switch
        {
            ClusterCallStatus.Faulted or ClusterCallStatus.ArgumentFaulted => ClusterCallStatus.ArgumentFaulted,
            ClusterCallStatus.Cancelled or ClusterCallStatus.ArgumentCancelled => ClusterCallStatus.ArgumentCancelled,
            _ => ClusterCallStatus.ArgumentLost,
        },
        ArgumentIndex = index,
        Error = Error,
        LostReason = LostReason,
        Silo = Silo,
    };

    /// <summary>This outcome without its <see cref="Result"/>.</summary>
    internal ClusterCallOutcome WithoutResult() => Copy(result: null, Backlog);

    /// <summary>This outcome with <see cref="Backlog"/> set (the same instance when it is already).</summary>
    internal ClusterCallOutcome WithBacklog(int backlog) => backlog == Backlog ? this : Copy(Result, backlog);

    /// <summary>A copy of this (immutable) outcome with <paramref name="result"/> and <paramref name="backlog"/>.</summary>
    private ClusterCallOutcome Copy(byte[]? result, int backlog) => new()
    {
        Status = Status,
        Result = result,
        Error = Error,
        ArgumentIndex = ArgumentIndex,
        LostReason = LostReason,
        Silo = Silo,
        TimedOut = TimedOut,
        Backlog = backlog,
    };

    internal static ClusterCallOutcome Lost(ClusterCallLostReason reason, string? silo = null) =>
        new() { Status = ClusterCallStatus.Lost, LostReason = reason, Silo = silo };

    /// <inheritdoc/>
    public override string ToString() => Status switch
    {
        ClusterCallStatus.Faulted => $"Faulted ({Error?.TypeName}: {Error?.Message})",
        ClusterCallStatus.Lost => $"Lost ({LostReason})",
        ClusterCallStatus.ArgumentFaulted or ClusterCallStatus.ArgumentCancelled or ClusterCallStatus.ArgumentLost => $"{Status} (argument {ArgumentIndex})",
        _ => Status.ToString(),
    };
}

/// <summary>Counters of one shard grain, for tests, the sample's display and diagnostics.</summary>
[GenerateSerializer, Immutable, Alias("pipelines.stats")]
internal sealed class ShardStats
{
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>Calls whose method started on this shard.</summary>
    [Id(1)] public long Started { get; init; }

    /// <summary>Results read by the client (<c>Fetch</c>, or a Run/Wait that asked for the result).</summary>
    [Id(2)] public long ClientReads { get; init; }

    /// <summary>Results read by other calls' shards, to resolve a reference argument.</summary>
    [Id(3)] public long DependentReads { get; init; }

    /// <summary>Of <see cref="DependentReads"/>, those from a shard on another silo.</summary>
    [Id(4)] public long CrossSiloReads { get; init; }

    /// <summary>Calls (running or done) this shard holds now.</summary>
    [Id(5)] public int Held { get; init; }

    /// <summary>Calls whose method observed a cancelled token here.</summary>
    [Id(6)] public long CancelledWhileRunning { get; init; }

    /// <summary>Calls handed back unrun because this shard was draining.</summary>
    [Id(7)] public long HandedBack { get; init; }

    /// <summary>The shard's grain key (<see cref="ShardKey"/>).</summary>
    [Id(8)] public string Key { get; init; } = string.Empty;
}

/// <summary>What keeps a draining shard from going away (<see cref="ICallShardGrain.Drain"/>).</summary>
[GenerateSerializer, Immutable, Alias("pipelines.drainstate")]
internal sealed class ShardDrainState
{
    /// <summary>Calls whose method is running.</summary>
    [Id(0)] public int Running { get; init; }

    /// <summary>Finished calls whose outcome no client has been given yet.</summary>
    [Id(1)] public int Undelivered { get; init; }

    /// <summary>Results that their client has neither released nor moved, and that could not be recomputed.</summary>
    [Id(2)] public int Held { get; init; }

    /// <summary>True when nothing keeps the shard.</summary>
    public bool IsIdle => Running == 0 && Undelivered == 0 && Held == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Running} running, {Undelivered} undelivered, {Held} held";
}
