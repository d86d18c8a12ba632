using System;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// Places a grain keyed <c>{name}@{silo}</c> (<see cref="ShardKey"/>) on the silo its key names while that silo is in the
/// cluster; otherwise (it died or left, or the key names none) on one silo that takes calls, the same from every silo.
/// </summary>
/// <remarks>
/// The key says where the grain is, so the grain directory is not used (<see cref="IsUsingGrainDirectory"/>): every silo
/// finds the activation by asking the placement, as for stateless workers. This matters for more than speed: Orleans
/// deactivates the activations whose directory registrations a leaving silo held, wherever they live, and a shard that
/// is deactivated loses the results it holds — every rolling restart would lose results on the silos that stay.
/// </remarks>
[Serializable, GenerateSerializer, Immutable, Alias("pipelines.pinned")]
internal sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Singleton { get; } = new();

    /// <inheritdoc/>
    public override bool IsUsingGrainDirectory => false;
}

/// <summary>Marks a grain class for <see cref="SiloPinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloPinnedPlacementAttribute : PlacementAttribute
{
    public SiloPinnedPlacementAttribute()
        : base(SiloPinnedPlacement.Singleton)
    {
    }
}
