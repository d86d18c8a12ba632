using System;
using System.Text.Json;

namespace Pipelines.Orleans;

/// <summary>How an <see cref="OrleansExecutor"/> sends calls to an Orleans cluster.</summary>
public sealed class OrleansExecutorOptions
{
    /// <summary>The executor's name, for error messages and logs; default <c>OrleansExecutor-N</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// How many shard grains per silo hold this executor's calls: each call goes to the least busy silo, and round-robin
    /// over that silo's shards (each shard serves its calls one message at a time, so a few per silo spread the work over
    /// the silo's cores). Default 8. Every client of one cluster may use its own value: references name their shard.
    /// </summary>
    public int ShardCount { get; set; } = 8;

    /// <summary>
    /// How long one wait for a call's outcome lasts before the client asks again (each wait is one grain call; at most
    /// half of Orleans' response timeout). A dead silo is noticed within about this long plus Orleans' failure
    /// detection. Default (null): half of the client's Orleans <c>ResponseTimeout</c>, at most 5 seconds.
    /// </summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// How long one run of a call may take, counted from when it is sent (a call sent ahead of its arguments waits for
    /// them on its silo, and that counts): the same limit as a method's <c>[Submittable(TimeoutMilliseconds = ms)]</c>,
    /// on the same clock, and the shorter of the two wins. When it is up the call ends
    /// <see cref="FutureState.Cancelled"/> here at once and its silo is told to cancel it (its token fires there). A
    /// lost result that the executor recomputes on the cluster, which has no future of its own, is bounded by the same
    /// limit on its silo. Default: no limit (a dead silo is still noticed: see <see cref="PollInterval"/>).
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>
    /// How long a call that the cluster keeps rejecting (never delivered: no silo reachable, gateway too busy) is sent
    /// again before it faults with <see cref="ClusterCallLostReason.Undeliverable"/>. Default 1 minute.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How arguments and results are serialized; must match the silos' (<c>PipelinesSiloOptions.JsonOptions</c>).
    /// Default: <see cref="JsonSerializerOptions.Default"/>; pass a source-generated context's options to stay reflection-free.
    /// </summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>
    /// Bounds the calls this executor holds unfinished — sent and waiting for their outcome, or waiting for their
    /// arguments — with the thread pool's <c>maxQueued</c> semantics: a submit beyond it waits for room (blocking, except
    /// from inside the executor's own callbacks and continuations; <c>WaitForRoomAsync</c> waits without blocking), so a
    /// producer faster than the cluster runs in bounded memory. The client has no workers of its own, so this counts every
    /// unfinished call; at least 1. Default (null): unbounded.
    /// </summary>
    public int? MaxQueued { get; set; }

    /// <summary>
    /// How exceptions thrown on the silos are rebuilt here; default <see cref="Pipelines.Remoting.RemoteExceptionFactory.Default"/>
    /// (any exception type already loaded in this process, never loading an assembly for a name). Pass one with an
    /// allow-list to rebuild only the types you name; anything else comes back as <see cref="RemoteException"/>.
    /// </summary>
    public Pipelines.Remoting.RemoteExceptionFactory? RemoteExceptions { get; set; }

    internal void Validate(string parameterName)
    {
        if (MaxQueued is < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, MaxQueued, $"{nameof(MaxQueued)} must be at least 1, or null for no bound.");
        }

        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"{nameof(Name)} must not be empty; leave it null for the default.", parameterName);
        }

        if (ShardCount < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, ShardCount, $"{nameof(ShardCount)} must be at least 1.");
        }

        if (PollInterval is TimeSpan poll)
        {
            PipelinesSiloOptions.CheckPositive(poll, nameof(PollInterval), parameterName);
        }
        PipelinesSiloOptions.CheckPositive(DeliveryTimeout, nameof(DeliveryTimeout), parameterName);
        if (CallTimeout is TimeSpan timeout && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            PipelinesSiloOptions.CheckPositive(timeout, nameof(CallTimeout), parameterName);
        }
    }

    internal OrleansExecutorOptions Clone() => (OrleansExecutorOptions)MemberwiseClone();
}
