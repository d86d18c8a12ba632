using System;
using System.Globalization;
using System.Text;

namespace Pipelines;

// Drawing a PipelineGraph as text: Mermaid for markdown, DOT for Graphviz. Both list the nodes in order, then the edges;
// a node shows its method and, below, how it ended and how long it ran.
public sealed partial class PipelineGraph
{
    // How each kind of node is drawn: (class, fill, stroke, extra Mermaid style, extra DOT style).
    private static readonly (string Kind, string Fill, string Stroke, string Mermaid, string Dot)[] s_styles =
    {
        ("ok", "#e6f4ea", "#1e8e3e", "", ""),
        ("failed", "#fce8e6", "#d93025", ",stroke-width:3px", ", penwidth=3"),
        ("skipped", "#fef7e0", "#e37400", ",stroke-width:2px", ", penwidth=2"),
        ("cancelled", "#f1f3f4", "#80868b", ",stroke-dasharray:5 3", ", style=\"rounded,filled,dashed\""),
        ("running", "#e8f0fe", "#1a73e8", "", ""),
        ("pending", "#ffffff", "#80868b", "", ""),
    };

    /// <summary>
    /// The graph as a Mermaid flowchart, left to right: one box per call with its method and, below, its outcome and
    /// duration (<c>succeeded · 12 ms</c>, <c>threw IOException · 3 ms</c>, <c>not run: Parse failed</c>,
    /// <c>cancelled, not run</c>), coloured by outcome; an edge per argument, drawn thick and labelled where a failure
    /// (<c>faulted</c>) or a cancellation (<c>cancelled</c>) moved on to a call that then never ran.
    /// Put it in a <c>```mermaid</c> block of a markdown file to see it.
    /// </summary>
    public string ToMermaid()
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        foreach (PipelineGraphNode node in Nodes)
        {
            text.Append("    ").Append(node.Id).Append("[\"").Append(MermaidText(node.Method)).Append("<br/>")
                .Append(MermaidText(Outcome(node))).Append("\"]:::").Append(Kind(node)).Append('\n');
        }

        foreach (PipelineGraphEdge edge in Edges)
        {
            text.Append("    ").Append(edge.From.Id).Append(' ').Append(MermaidArrow(edge)).Append(' ').Append(edge.To.Id).Append('\n');
        }

        foreach ((string kind, string fill, string stroke, string mermaid, _) in s_styles)
        {
            if (Uses(kind))
            {
                text.Append("    classDef ").Append(kind).Append(" fill:").Append(fill).Append(",stroke:").Append(stroke)
                    .Append(",color:#202124").Append(mermaid).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The graph in Graphviz's DOT language (<c>dot -Tsvg</c>), drawn like <see cref="ToMermaid"/>.</summary>
    public string ToDot()
    {
        var text = new StringBuilder();
        text.Append("digraph pipeline {\n");
        text.Append("    rankdir=LR;\n");
        text.Append("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        text.Append("    edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (PipelineGraphNode node in Nodes)
        {
            (_, string fill, string stroke, _, string dot) = Style(Kind(node));
            text.Append("    ").Append(node.Id).Append(" [label=\"").Append(DotText(node.Method)).Append("\\n").Append(DotText(Outcome(node)))
                .Append("\", fillcolor=\"").Append(fill).Append("\", color=\"").Append(stroke).Append('"').Append(dot).Append("];\n");
        }

        foreach (PipelineGraphEdge edge in Edges)
        {
            text.Append("    ").Append(edge.From.Id).Append(" -> ").Append(edge.To.Id);
            if (edge.Propagated)
            {
                bool faulted = edge.To.State == FutureState.Faulted;
                text.Append(faulted ? " [label=\"faulted\", color=\"#d93025\", penwidth=2]" : " [label=\"cancelled\", color=\"#80868b\", style=dashed]");
            }

            text.Append(";\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string MermaidArrow(PipelineGraphEdge edge)
    {
        if (!edge.Propagated)
        {
            return "-->";
        }

        return edge.To.State == FutureState.Faulted ? "==>|faulted|" : "-.->|cancelled|";
    }

    /// <summary>The drawing class of a node: ok, failed (it threw), skipped (faulted without running), cancelled, running, pending.</summary>
    private static string Kind(PipelineGraphNode node) => node.State switch
    {
        FutureState.Succeeded => "ok",
        FutureState.Faulted => node.Cause is not null || node.Runs == 0 ? "skipped" : "failed",
        FutureState.Cancelled => "cancelled",
        FutureState.Running => "running",
        _ => "pending",
    };

    /// <summary>The second line of a node.</summary>
    private static string Outcome(PipelineGraphNode node)
    {
        string duration = node.Duration is { } d ? " · " + FormatDuration(d) : string.Empty;
        string retries = node.Runs is > 1 and int runs ? $" · {runs - 1} {(runs == 2 ? "retry" : "retries")}" : string.Empty;
        switch (node.State)
        {
            case FutureState.Succeeded:
                return "succeeded" + duration + retries;
            case FutureState.Faulted when Kind(node) == "skipped":
                return node.Cause is { } cause ? $"not run: {cause.Method} failed" : "faulted, not run";
            case FutureState.Faulted:
                return $"threw {node.Exception?.GetType().Name ?? "an exception"}{duration}{retries}";
            case FutureState.Cancelled when node.Cause is { } cancelledBy:
                return $"cancelled, not run: {cancelledBy.Method} was cancelled";
            case FutureState.Cancelled:
                return node.Runs switch
                {
                    0 => "cancelled, not run",
                    > 0 => "cancelled" + (node.Duration is { } ran ? " after " + FormatDuration(ran) : string.Empty),
                    _ => "cancelled",
                };
            case FutureState.Running:
                return "running" + duration;
            default:
                return "pending";
        }
    }

    /// <summary><c>850 µs</c>, <c>12.5 ms</c>, <c>1.25 s</c>.</summary>
    internal static string FormatDuration(TimeSpan duration)
    {
        double ms = duration.TotalMilliseconds;
        return ms switch
        {
            < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms * 1000:0} µs"),
            < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.##} s"),
        };
    }

    private static (string Kind, string Fill, string Stroke, string Mermaid, string Dot) Style(string kind) =>
        Array.Find(s_styles, s => s.Kind == kind);

    private static string MermaidText(string text) =>
        text.Replace("#", "#35;", StringComparison.Ordinal).Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal);

    private static string DotText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private bool Uses(string kind)
    {
        foreach (PipelineGraphNode node in Nodes)
        {
            if (Kind(node) == kind)
            {
                return true;
            }
        }

        return false;
    }
}
