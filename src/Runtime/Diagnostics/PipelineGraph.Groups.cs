using System;
using System.Collections.Generic;
using System.Linq;

namespace Pipelines;

// The grouped graph (Dask's high-level graph): one group per method, edges between methods with how many argument
// futures went that way. What ToMermaid and ToDot draw for a pipeline too big to draw call by call.
public sealed partial class PipelineGraph
{
    private IReadOnlyList<PipelineGraphGroup>? _groups;
    private IReadOnlyList<PipelineGraphGroupEdge>? _groupEdges;

    /// <summary>The calls grouped by method, in the order each method first appears in <see cref="Nodes"/>.</summary>
    public IReadOnlyList<PipelineGraphGroup> Groups => _groups ?? Group().Groups;

    /// <summary>The edges between groups: from the method whose futures were passed to the method that took them, with how many.</summary>
    public IReadOnlyList<PipelineGraphGroupEdge> GroupEdges => _groupEdges ?? Group().Edges;

    private (IReadOnlyList<PipelineGraphGroup> Groups, IReadOnlyList<PipelineGraphGroupEdge> Edges) Group()
    {
        var byMethod = new Dictionary<string, PipelineGraphGroup>(StringComparer.Ordinal);
        var groups = new List<PipelineGraphGroup>();
        var groupOf = new Dictionary<PipelineGraphNode, PipelineGraphGroup>(ReferenceEqualityComparer.Instance);
        var members = new Dictionary<PipelineGraphGroup, List<PipelineGraphNode>>(ReferenceEqualityComparer.Instance);
        foreach (PipelineGraphNode node in Nodes)
        {
            if (!byMethod.TryGetValue(node.Method, out PipelineGraphGroup? group))
            {
                group = new PipelineGraphGroup("g" + groups.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Method);
                byMethod.Add(node.Method, group);
                groups.Add(group);
                members.Add(group, new List<PipelineGraphNode>());
            }

            groupOf[node] = group;
            members[group].Add(node);
        }

        foreach (PipelineGraphGroup group in groups)
        {
            group.SetNodes(members[group]);
        }

        var edges = new Dictionary<(PipelineGraphGroup From, PipelineGraphGroup To), (int Count, int Propagated)>();
        var order = new List<(PipelineGraphGroup From, PipelineGraphGroup To)>();
        foreach (PipelineGraphEdge edge in Edges)
        {
            (PipelineGraphGroup From, PipelineGraphGroup To) key = (groupOf[edge.From], groupOf[edge.To]);
            if (!edges.TryGetValue(key, out (int Count, int Propagated) counts))
            {
                order.Add(key);
            }

            edges[key] = (counts.Count + 1, counts.Propagated + (edge.Propagated ? 1 : 0));
        }

        _groups = groups;
        _groupEdges = order.Select(key => new PipelineGraphGroupEdge(key.From, key.To, edges[key].Count, edges[key].Propagated)).ToList();
        return (_groups, _groupEdges);
    }

    /// <summary>The call that threw and started the failure <paramref name="node"/> took on (itself if it threw), following <see cref="PipelineGraphNode.Cause"/>.</summary>
    internal static PipelineGraphNode RootCause(PipelineGraphNode node)
    {
        PipelineGraphNode root = node;
        for (int hops = 0; root.Cause is { } cause && hops < 10_000; hops++)
        {
            root = cause;
        }

        return root;
    }
}

/// <summary>The calls of one method in a <see cref="PipelineGraph"/>: how many ended each way, and how long they ran.</summary>
public sealed class PipelineGraphGroup
{
    internal PipelineGraphGroup(string id, string method)
    {
        Id = id;
        Method = method;
    }

    /// <summary>The group's id in the grouped drawings: <c>g0</c>, <c>g1</c>, … in the order of <see cref="PipelineGraph.Groups"/>.</summary>
    public string Id { get; }

    /// <summary>The method, e.g. <c>Parse</c> (<see cref="PipelineGraphNode.Method"/> of its calls).</summary>
    public string Method { get; }

    /// <summary>Its calls, in the order of <see cref="PipelineGraph.Nodes"/>.</summary>
    public IReadOnlyList<PipelineGraphNode> Nodes { get; private set; } = Array.Empty<PipelineGraphNode>();

    /// <summary>Calls that succeeded.</summary>
    public int Succeeded { get; private set; }

    /// <summary>Calls that ran and threw.</summary>
    public int Threw { get; private set; }

    /// <summary>Calls that faulted without running, because an argument failed.</summary>
    public int NotRun { get; private set; }

    /// <summary>Calls that were cancelled.</summary>
    public int Cancelled { get; private set; }

    /// <summary>Calls running when the graph was taken.</summary>
    public int Running { get; private set; }

    /// <summary>Calls that had not started when the graph was taken.</summary>
    public int Pending { get; private set; }

    /// <summary>The mean of the calls' <see cref="PipelineGraphNode.Duration"/>s, or null when none is known.</summary>
    public TimeSpan? MeanDuration { get; private set; }

    /// <summary>The longest of the calls' <see cref="PipelineGraphNode.Duration"/>s, or null when none is known.</summary>
    public TimeSpan? MaxDuration { get; private set; }

    /// <summary>E.g. <c>g1 Parse: 300 calls</c>.</summary>
    public override string ToString() => $"{Id} {Method}: {Nodes.Count} calls";

    internal void SetNodes(List<PipelineGraphNode> nodes)
    {
        Nodes = nodes;
        long ticks = 0;
        int timed = 0;
        TimeSpan? max = null;
        foreach (PipelineGraphNode node in nodes)
        {
            switch (node.State)
            {
                case FutureState.Succeeded:
                    Succeeded++;
                    break;
                case FutureState.Faulted when PipelineGraph.IsSkipped(node):
                    NotRun++;
                    break;
                case FutureState.Faulted:
                    Threw++;
                    break;
                case FutureState.Cancelled:
                    Cancelled++;
                    break;
                case FutureState.Running:
                    Running++;
                    break;
                default:
                    Pending++;
                    break;
            }

            if (node.Duration is { } duration)
            {
                ticks += duration.Ticks;
                timed++;
                max = max is { } longest && longest >= duration ? longest : duration;
            }
        }

        MeanDuration = timed == 0 ? null : TimeSpan.FromTicks(ticks / timed);
        MaxDuration = max;
    }
}

/// <summary>Calls of <see cref="To"/> took <see cref="Count"/> futures of <see cref="From"/>'s calls as arguments.</summary>
/// <param name="From">The group whose futures were passed.</param>
/// <param name="To">The group that took them.</param>
/// <param name="Count">How many argument futures went this way.</param>
/// <param name="Propagated">Of those, how many faulted or cancelled the call that took them, which then never ran.</param>
public sealed record PipelineGraphGroupEdge(PipelineGraphGroup From, PipelineGraphGroup To, int Count, int Propagated);
