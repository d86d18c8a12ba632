using System;
using System.Globalization;
using Orleans;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// The cluster-wide identity of one call: the dispatcher's session (random per client dispatcher) and a sequence number
/// within it. The shard grain that runs the call holds its result under this id.
/// </summary>
[GenerateSerializer, Immutable, Alias("pipelines.callid")]
internal readonly record struct ClusterCallId([property: Id(0)] long Session, [property: Id(1)] long Sequence)
{
    /// <summary>The shard grain key of this call among <paramref name="shardCount"/> shards (consecutive calls go round-robin).</summary>
    public long ShardOf(int shardCount) => (long)(((ulong)Session + (ulong)Sequence) % (ulong)shardCount);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Session & 0xFFFFFF:x6}-{Sequence}");
}
