using System;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// Places a grain keyed <c>{name}@{silo}</c> (<see cref="ShardKey"/>) on the silo its key names, while that silo is
/// active and can host it; otherwise (the silo died, left, or the key names none) on the silo that handles the request.
/// </summary>
[Serializable, GenerateSerializer, Immutable, Alias("pipelines.pinned")]
internal sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Singleton { get; } = new();
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
