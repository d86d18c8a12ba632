using System;
using System.Globalization;
using Orleans;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// The cluster-wide identity of one call: the dispatcher's session (random per client dispatcher) and a sequence number
/// within it. The shard grain that runs the call holds its result under this id; where that shard is, the dispatcher
/// decides when it sends the call (and knows until the call is released).
/// </summary>
[GenerateSerializer, Immutable, Alias("pipelines.callid")]
internal readonly record struct ClusterCallId([property: Id(0)] long Session, [property: Id(1)] long Sequence)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Session & 0xFFFFFF:x6}-{Sequence}");
}
