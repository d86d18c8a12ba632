using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// One shard of the cluster's calls, on the silo its key names (<see cref="ShardKey"/>): it runs the calls a client
/// sends it, holds their results until they are released, and serves them to the client and to other shards whose
/// calls take them as arguments. A regular (not stateless-worker) reentrant grain, so cancellation reaches it and
/// requests interleave.
/// </summary>
[Alias("pipelines.shard")]
internal interface ICallShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the call unless this shard knows it already (a repeated Run is a no-op), then waits up to
    /// <paramref name="maxWait"/> for its outcome.
    /// </summary>
    [Alias("run")]
    Task<ClusterCallOutcome> Run(ClusterCallRequest request, TimeSpan maxWait);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for the outcome of a call whose Run was sent. A call this shard does not
    /// know is reported lost (its silo died, or it was released) and remembered as such. With
    /// <paramref name="returnResult"/> this is also how the client reads a result.
    /// </summary>
    [Alias("wait")]
    Task<ClusterCallOutcome> Wait(ClusterCallId callId, TimeSpan maxWait, bool returnResult);

    /// <summary>
    /// Another shard reads a result to pass it as an argument, waiting up to <paramref name="maxWait"/> for the call
    /// to finish. With <paramref name="mayBeInFlight"/>, an unknown call is expected to arrive and waited for.
    /// </summary>
    [Alias("dependent")]
    Task<ClusterCallOutcome> ReadForDependent(ClusterCallId callId, bool mayBeInFlight, TimeSpan maxWait, string fromSilo);

    /// <summary>Cancels a call: one that has not started never runs; a running one has its token signalled.</summary>
    [Alias("cancel")]
    Task Cancel(ClusterCallId callId);

    /// <summary>Drops results the client no longer needs (a running call is dropped when it finishes).</summary>
    [Alias("release")]
    Task Release(ClusterCallId[] callIds);

    /// <summary>This shard's counters.</summary>
    [Alias("stats"), AlwaysInterleave]
    Task<ShardStats> GetStats();

    /// <summary>
    /// Holds a copy of the result of <paramref name="callId"/>, read from shard <paramref name="fromShard"/> (silo to
    /// silo): how a client moves results off a draining silo. Succeeded once the copy is held here; the original stays
    /// until released. A shard that is draining itself answers <see cref="ClusterCallStatus.HandedBack"/>.
    /// </summary>
    [Alias("adopt")]
    Task<ClusterCallOutcome> Adopt(ClusterCallId callId, string fromShard, bool mayRunAgain);

    /// <summary>
    /// Starts draining: new calls are handed back, calls not started yet (waiting for a thread or for an argument) are
    /// handed back, running calls go on. Returns what still keeps the shard from going away.
    /// </summary>
    [Alias("drain"), AlwaysInterleave]
    Task<ShardDrainState> Drain();
}
