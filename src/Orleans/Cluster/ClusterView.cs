using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;

namespace Pipelines.Orleans.Cluster;

/// <summary>One silo as the clients' placement sees it.</summary>
[GenerateSerializer, Immutable, Alias("pipelines.silo")]
internal sealed class SiloInfo
{
    /// <summary>The silo's parsable address (<c>SiloAddress.ToParsableString</c>): the silo part of its grain keys.</summary>
    [Id(0)] public string Address { get; init; } = string.Empty;

    /// <summary>The silo's address as Orleans prints it (<c>SiloAddress.ToString</c>, as in <see cref="ClusterCallOutcome.Silo"/>).</summary>
    [Id(1)] public string Name { get; init; } = string.Empty;

    /// <summary>The silo is draining: it finishes what runs, hands back what waits, and takes no new calls.</summary>
    [Id(2)] public bool Draining { get; init; }

    /// <summary>How many calls the silo runs at once (<c>PipelinesSiloOptions.MaxConcurrentCalls</c>); 0 if the answering silo does not know.</summary>
    [Id(3)] public int Capacity { get; init; }
}

/// <summary>The active silos of the cluster, as one silo sees them, and a version that grows with every change.</summary>
[GenerateSerializer, Immutable, Alias("pipelines.view")]
internal sealed class SiloView
{
    /// <summary>Grows with every change this silo sees (a join, a death, a drain); comparable only between answers of the same silo.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>The active silos (joining and dead ones are left out; draining ones are in, marked).</summary>
    [Id(1)] public SiloInfo[] Silos { get; init; } = Array.Empty<SiloInfo>();

    /// <summary>The answering silo's parsable address.</summary>
    [Id(2)] public string From { get; init; } = string.Empty;

    /// <summary>Silos this silo saw declared dead (parsable addresses; the most recent ones).</summary>
    [Id(3)] public string[] Dead { get; init; } = Array.Empty<string>();
}

/// <summary>
/// A silo's view of the cluster for Pipelines clients, one grain per silo (key <see cref="ShardKey.View"/>, placed on that
/// silo), plus <see cref="ShardKey.AnyView"/> on whichever silo a client reaches first.
/// </summary>
[Alias("pipelines.viewgrain")]
internal interface IClusterViewGrain : IGrainWithStringKey
{
    /// <summary>The view once its version differs from <paramref name="knownVersion"/>, or after <paramref name="maxWait"/> (a long poll).</summary>
    [Alias("watch"), AlwaysInterleave]
    Task<SiloView> Watch(long knownVersion, TimeSpan maxWait);

    /// <summary>This silo's own entry (its capacity in particular).</summary>
    [Alias("info"), AlwaysInterleave]
    Task<SiloInfo> Info();

    /// <summary><paramref name="silo"/> (a parsable address) is draining: clients watching this silo hear of it at once.</summary>
    [Alias("draining"), AlwaysInterleave]
    Task Draining(string silo);
}
