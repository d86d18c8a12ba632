using System;
using System.Threading;
using Orleans;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>
/// One silo as a dispatcher's placement sees it: whether it takes calls, how many of this dispatcher's calls it holds,
/// how many it may hold (its window), and a token that abandons the grain calls waiting on it when it is gone or a
/// gateway connection dropped. Mutable fields are guarded by the placement's lock; the tokens are read without it.
/// </summary>
internal sealed class ClusterSilo
{
    private readonly IGrainFactory _grains;
    private readonly ICallShardGrain?[] _shards;
    private CancellationTokenSource _abandon;
    private int _nextShard;

    public ClusterSilo(IGrainFactory grains, string address, string name, int capacity, int shardsPerSilo)
    {
        _grains = grains;
        Address = address;
        Name = name;
        Capacity = capacity;
        _shards = new ICallShardGrain?[shardsPerSilo];
        _abandon = new CancellationTokenSource();
    }

    /// <summary>The parsable address: the silo part of its shards' keys.</summary>
    public string Address { get; }

    /// <summary>The address as Orleans prints it (as in outcomes and statistics).</summary>
    public string Name { get; }

    /// <summary>How many calls it runs at once; 0 until it has told us.</summary>
    public int Capacity { get; set; }

    /// <summary>It drains: it takes no new calls; its results are moved elsewhere.</summary>
    public bool Draining { get; set; }

    /// <summary>It left the cluster (dead, or stopped): what it held is lost; new messages to its keys reach other silos.</summary>
    public volatile bool IsGone;

    /// <summary>This dispatcher's calls on it whose outcome has not come back.</summary>
    public int Inflight { get; set; }

    /// <summary>How many of this dispatcher's calls it may hold at once (see <c>SiloPlacement</c>).</summary>
    public int Window { get; set; }

    /// <summary>Calls placed here so far.</summary>
    public long Placed { get; set; }

    /// <summary>
    /// Fires when the silo is gone, or a gateway connection dropped: grain calls waiting on it stop waiting and ask again
    /// (a gone silo's shards answer from their new activations). Each firing is followed by a fresh token.
    /// </summary>
    public CancellationToken AbandonToken => Volatile.Read(ref _abandon).Token;

    /// <summary>Capacity for placement decisions: what it told us, else 1.</summary>
    public int EffectiveCapacity => Capacity > 0 ? Capacity : 1;

    /// <summary>The next of its shards, round-robin (under the placement's lock).</summary>
    public (string Key, ICallShardGrain Grain) NextShard()
    {
        int slot = _nextShard;
        _nextShard = (slot + 1) % _shards.Length;
        return (ShardKey.For(Address, slot), Shard(slot));
    }

    /// <summary>Shard <paramref name="slot"/> of this silo.</summary>
    public ICallShardGrain Shard(int slot) => _shards[slot] ??= _grains.GetGrain<ICallShardGrain>(ShardKey.For(Address, slot));

    /// <summary>The shard with key <paramref name="key"/>, one of this silo's.</summary>
    public ICallShardGrain ShardFor(string key)
    {
        int at = key.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && int.TryParse(key.AsSpan(0, at), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int slot) && slot < _shards.Length
            ? Shard(slot)
            : _grains.GetGrain<ICallShardGrain>(key);
    }

    /// <summary>Number of shards per silo.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>Abandons the waits on this silo; later waits get a fresh token.</summary>
    public void Abandon()
    {
        CancellationTokenSource previous = Interlocked.Exchange(ref _abandon, new CancellationTokenSource());
        previous.Cancel(); // not disposed: a wait may still read its (cancelled) token
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
