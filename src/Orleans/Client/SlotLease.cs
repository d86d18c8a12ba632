using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>A call's place on a silo: the silo and the shard it is sent to; given back with <see cref="SiloPlacement.Release"/>.</summary>
internal sealed class SlotLease(ClusterSilo silo, string shardKey, ICallShardGrain shard)
{
    public ClusterSilo Silo { get; } = silo;

    public string ShardKey { get; } = shardKey;

    public ICallShardGrain Shard { get; } = shard;

    /// <summary>Given back (guarded by the placement's lock).</summary>
    public bool Released { get; set; }
}
