using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// Serves this silo's <see cref="ClusterViewService"/> to clients: one activation per silo (key
/// <see cref="ShardKey.View"/>), plus <see cref="ShardKey.AnyView"/> wherever a client's first request lands.
/// </summary>
[Reentrant, SiloPinnedPlacement]
internal sealed class ClusterViewGrain(ClusterViewService view) : Grain, IClusterViewGrain
{
    public Task<SiloView> Watch(long knownVersion, TimeSpan maxWait) => view.WatchAsync(knownVersion, maxWait);

    public Task<SiloInfo> Info() => Task.FromResult(view.Self);

    public Task Draining(string silo)
    {
        view.MarkDraining(silo);
        return Task.CompletedTask;
    }
}
