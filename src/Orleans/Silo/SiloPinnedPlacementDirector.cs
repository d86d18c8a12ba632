using System;
using System.Threading.Tasks;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// Activates a grain keyed <c>{name}@{silo}</c> on the silo its key names, so that a client decides where each call
/// runs (<see cref="ShardKey"/>). A key whose silo is not active any more (dead, shutting down, or never known here) is
/// activated on this silo if it can host it, else on the first compatible one: such a "fallback" activation knows none
/// of the calls the named silo held, which is exactly what a client must hear about them.
/// </summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] compatible = context.GetCompatibleSilos(target);
        if (ShardKey.TryParseSilo(target.GrainIdentity.Key.ToString(), out SiloAddress? named) && Array.IndexOf(compatible, named) >= 0)
        {
            return Task.FromResult(named);
        }

        if (context.LocalSiloStatus == SiloStatus.Active && Array.IndexOf(compatible, context.LocalSilo) >= 0)
        {
            return Task.FromResult(context.LocalSilo);
        }

        if (compatible.Length == 0)
        {
            throw new OrleansException($"No active silo can host {target.GrainIdentity}.");
        }

        SiloAddress first = compatible[0]; // the array may be shared: find the least without sorting it
        foreach (SiloAddress silo in compatible)
        {
            if (silo.CompareTo(first) < 0)
            {
                first = silo;
            }
        }

        return Task.FromResult(first);
    }
}
