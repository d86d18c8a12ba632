using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Pipelines;

// Drawing the grouped graph (Groups, GroupEdges): a box per method with how its calls ended and how long they ran, an edge
// per pair of methods with how many futures went that way (the ones that carried a failure or a cancellation drawn
// apart), and the calls that threw kept one by one with their label, their exception and what they took down.
public sealed partial class PipelineGraph
{
    private const int MaxMessage = 60;

    private string GroupedMermaid()
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        foreach (PipelineGraphGroup group in Groups)
        {
            text.Append("    ").Append(group.Id).Append("[\"").Append(MermaidText(group.Method)).Append("<br/>")
                .Append(MermaidText(Counts(group))).Append(Durations(group) is { } d ? "<br/>" + MermaidText(d) : "")
                .Append("\"]:::").Append(GroupKind(group)).Append('\n');
        }

        foreach ((PipelineGraphGroupEdge edge, int faulted, int cancelled) in SplitEdges())
        {
            int plain = edge.Count - faulted - cancelled;
            if (plain > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" -->|").Append(Number(plain)).Append("| ").Append(edge.To.Id).Append('\n');
            }

            if (faulted > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" ==>|").Append(Number(faulted)).Append(" faulted| ").Append(edge.To.Id).Append('\n');
            }

            if (cancelled > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" -.->|").Append(Number(cancelled)).Append(" cancelled| ").Append(edge.To.Id).Append('\n');
            }
        }

        List<(PipelineGraphNode Node, List<(PipelineGraphGroup Group, int Count)> TookDown)> failures = Failures();
        for (int i = 0; i < failures.Count; i++)
        {
            (PipelineGraphNode node, List<(PipelineGraphGroup Group, int Count)> tookDown) = failures[i];
            string id = "f" + i.ToString(CultureInfo.InvariantCulture);
            text.Append("    ").Append(id).Append("[\"").Append(MermaidText(FailureTitle(node))).Append("<br/>")
                .Append(MermaidText(FailureLine(node))).Append("\"]:::failed\n");
            text.Append("    ").Append(GroupOf(node).Id).Append(" -.- ").Append(id).Append('\n');
            foreach ((PipelineGraphGroup group, int count) in tookDown)
            {
                text.Append("    ").Append(id).Append(" ==>|took down ").Append(Number(count)).Append("| ").Append(group.Id).Append('\n');
            }
        }

        AppendClassDefs(text, kind => kind == "failed" ? failures.Count > 0 || Groups.Any(g => GroupKind(g) == kind) : Groups.Any(g => GroupKind(g) == kind));
        return text.ToString();
    }

    private string GroupedDot()
    {
        var text = new StringBuilder();
        text.Append("digraph pipeline {\n");
        text.Append("    rankdir=LR;\n");
        text.Append("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        text.Append("    edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (PipelineGraphGroup group in Groups)
        {
            (_, string fill, string stroke, _, string dot) = Style(GroupKind(group));
            text.Append("    ").Append(group.Id).Append(" [label=\"").Append(DotText(group.Method)).Append("\\n").Append(DotText(Counts(group)))
                .Append(Durations(group) is { } d ? "\\n" + DotText(d) : "")
                .Append("\", fillcolor=\"").Append(fill).Append("\", color=\"").Append(stroke).Append('"').Append(dot).Append("];\n");
        }

        foreach ((PipelineGraphGroupEdge edge, int faulted, int cancelled) in SplitEdges())
        {
            int plain = edge.Count - faulted - cancelled;
            if (plain > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" -> ").Append(edge.To.Id).Append(" [label=\"").Append(Number(plain)).Append("\"];\n");
            }

            if (faulted > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" -> ").Append(edge.To.Id).Append(" [label=\"").Append(Number(faulted)).Append(" faulted\", color=\"#d93025\", penwidth=2];\n");
            }

            if (cancelled > 0)
            {
                text.Append("    ").Append(edge.From.Id).Append(" -> ").Append(edge.To.Id).Append(" [label=\"").Append(Number(cancelled)).Append(" cancelled\", color=\"#80868b\", style=dashed];\n");
            }
        }

        List<(PipelineGraphNode Node, List<(PipelineGraphGroup Group, int Count)> TookDown)> failures = Failures();
        (_, string failFill, string failStroke, _, string failDot) = Style("failed");
        for (int i = 0; i < failures.Count; i++)
        {
            (PipelineGraphNode node, List<(PipelineGraphGroup Group, int Count)> tookDown) = failures[i];
            string id = "f" + i.ToString(CultureInfo.InvariantCulture);
            text.Append("    ").Append(id).Append(" [label=\"").Append(DotText(FailureTitle(node))).Append("\\n").Append(DotText(FailureLine(node)))
                .Append("\", fillcolor=\"").Append(failFill).Append("\", color=\"").Append(failStroke).Append('"').Append(failDot).Append("];\n");
            text.Append("    ").Append(GroupOf(node).Id).Append(" -> ").Append(id).Append(" [style=dotted, arrowhead=none];\n");
            foreach ((PipelineGraphGroup group, int count) in tookDown)
            {
                text.Append("    ").Append(id).Append(" -> ").Append(group.Id).Append(" [label=\"took down ").Append(Number(count)).Append("\", color=\"#d93025\", penwidth=2];\n");
            }
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>Each group edge with how many of its futures carried a failure, and a cancellation, to a call that then never ran.</summary>
    private List<(PipelineGraphGroupEdge Edge, int Faulted, int Cancelled)> SplitEdges()
    {
        var split = new Dictionary<(PipelineGraphGroup, PipelineGraphGroup), (int Faulted, int Cancelled)>();
        foreach (PipelineGraphEdge edge in Edges)
        {
            if (edge.Propagated)
            {
                (PipelineGraphGroup, PipelineGraphGroup) key = (GroupOf(edge.From), GroupOf(edge.To));
                (int faulted, int cancelled) = split.GetValueOrDefault(key);
                split[key] = edge.To.State == FutureState.Faulted ? (faulted + 1, cancelled) : (faulted, cancelled + 1);
            }
        }

        return GroupEdges.Select(edge => split.TryGetValue((edge.From, edge.To), out (int Faulted, int Cancelled) counts)
            ? (edge, counts.Faulted, counts.Cancelled)
            : (edge, 0, 0)).ToList();
    }

    /// <summary>The first calls that threw, each with how many calls of each group faulted without running because of it.</summary>
    private List<(PipelineGraphNode Node, List<(PipelineGraphGroup Group, int Count)> TookDown)> Failures()
    {
        var threw = Nodes.Where(static n => n.State == FutureState.Faulted && !IsSkipped(n)).Take(MaxFailuresShown).ToList();
        var victims = new Dictionary<PipelineGraphNode, Dictionary<PipelineGraphGroup, int>>(ReferenceEqualityComparer.Instance);
        foreach (PipelineGraphNode node in threw)
        {
            victims.Add(node, new Dictionary<PipelineGraphGroup, int>());
        }

        foreach (PipelineGraphNode node in Nodes)
        {
            if (IsSkipped(node) && victims.TryGetValue(RootCause(node), out Dictionary<PipelineGraphGroup, int>? byGroup))
            {
                PipelineGraphGroup group = GroupOf(node);
                byGroup[group] = byGroup.GetValueOrDefault(group) + 1;
            }
        }

        return threw.Select(n => (n, Groups.Where(victims[n].ContainsKey).Select(g => (g, victims[n][g])).ToList())).ToList();
    }

    private PipelineGraphGroup GroupOf(PipelineGraphNode node) => Groups.First(g => g.Method == node.Method);

    private static string Counts(PipelineGraphGroup group)
    {
        var parts = new List<string>();
        void Add(int count, string what)
        {
            if (count > 0)
            {
                parts.Add(Number(count) + " " + what);
            }
        }

        Add(group.Succeeded, "succeeded");
        Add(group.Threw, "threw");
        Add(group.NotRun, "not run");
        Add(group.Cancelled, "cancelled");
        Add(group.Running, "running");
        Add(group.Pending, "pending");
        string calls = group.Nodes.Count == 1 ? "1 call" : Number(group.Nodes.Count) + " calls";
        return parts.Count == 0 ? calls : calls + ": " + string.Join(" · ", parts);
    }

    private static string? Durations(PipelineGraphGroup group) =>
        group.MeanDuration is { } mean && group.MaxDuration is { } max ? $"mean {FormatDuration(mean)} · max {FormatDuration(max)}" : null;

    /// <summary>A group is coloured by the worst of its calls: threw, not run, cancelled (when none succeeded), running, pending.</summary>
    private static string GroupKind(PipelineGraphGroup group) => group switch
    {
        { Threw: > 0 } => "failed",
        { NotRun: > 0 } => "skipped",
        { Cancelled: > 0, Succeeded: 0 } => "cancelled",
        { Running: > 0 } => "running",
        { Pending: > 0, Succeeded: 0 } => "pending",
        _ => "ok",
    };

    private static string FailureTitle(PipelineGraphNode node) => node.Label is { } label ? $"{node.Method} · {label}" : node.Method;

    private static string FailureLine(PipelineGraphNode node)
    {
        string type = node.Exception?.GetType().Name ?? "an exception";
        string message = node.Exception?.Message ?? string.Empty;
        message = message.Length <= MaxMessage ? message : string.Concat(message.AsSpan(0, MaxMessage - 1), "…");
        return message.Length == 0 ? $"threw {type}" : $"threw {type}: {message.Replace('\n', ' ').Replace('\r', ' ')}";
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
