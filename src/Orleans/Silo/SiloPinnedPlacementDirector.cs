using System;
using System.Threading.Tasks;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// Activates a grain keyed <c>{name}@{silo}</c> on the silo its key names, so that a client decides where each call
/// runs (<see cref="ShardKey"/>). The named silo is trusted unless this silo's membership says it is leaving or dead: a
/// silo that joined a moment ago may not be in this silo's list of compatible silos yet, and placing its shard elsewhere
/// would put its calls where neither the client nor a drain looks for them. A key whose silo is leaving or dead (or
/// that names none) is activated on a silo that takes calls, the same one whichever silo places it: such a "fallback"
/// activation knows none of the calls the named silo held, which is exactly what a client must hear about them.
/// </summary>
internal sealed class SiloPinnedPlacementDirector(IClusterMembershipService membership, ClusterViewService view) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        if (ShardKey.TryParseSilo(target.GrainIdentity.Key.ToString(), out SiloAddress? named)
            && membership.CurrentSnapshot.GetSiloStatus(named) is SiloStatus.Active or SiloStatus.Joining or SiloStatus.Created or SiloStatus.None)
        {
            return Task.FromResult(named); // active, or newer than this silo's view of the membership
        }

        // The key's silo is gone: a silo that takes calls, chosen by rendezvous hashing on the key so that every silo that
        // places it chooses the same one (any compatible silo if all of them drain).
        SiloAddress[] compatible = context.GetCompatibleSilos(target);
        string key = target.GrainIdentity.Key.ToString();
        SiloAddress? best = null;
        (bool TakesCalls, ulong Score) bestRank = default;
        foreach (SiloAddress silo in compatible)
        {
            string address = silo.ToParsableString();
            (bool TakesCalls, ulong Score) rank = (!view.IsDrainingSilo(address), Score(key, address));
            if (best is null || rank.CompareTo(bestRank) > 0)
            {
                (best, bestRank) = (silo, rank);
            }
        }

        return best is not null
            ? Task.FromResult(best)
            : throw new OrleansException($"No active silo can host {target.GrainIdentity}.");
    }

    /// <summary>A hash of the key and the silo that is the same in every process (FNV-1a, 64 bits).</summary>
    private static ulong Score(string key, string silo)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        hash = (hash ^ '|') * 1099511628211;
        foreach (char c in silo)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        return hash;
    }
}
