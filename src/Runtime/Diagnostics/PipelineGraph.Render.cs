using System;
using System.Globalization;
using System.Text;

namespace Pipelines;

// Drawing a PipelineGraph as text, call by call: Mermaid for markdown, DOT for Graphviz. Both list the nodes in order, then
// the edges; a node shows its method, its label and, below, how it ended and how long it ran. The grouped form is in
// PipelineGraph.Grouped.cs; ToMermaid() and ToDot() choose between them.
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
    /// The graph as a Mermaid flowchart, left to right, call by call while it fits what every Mermaid viewer draws
    /// (<see cref="MaxMermaidEdges"/> edges, <see cref="MaxMermaidCharacters"/> characters: Mermaid's defaults, which
    /// GitHub keeps), grouped by method beyond that — see <see cref="ToMermaid(PipelineGraphForm)"/>.
    /// Put it in a <c>```mermaid</c> block of a markdown file to see it.
    /// </summary>
    public string ToMermaid() => ToMermaid(PipelineGraphForm.Auto);

    /// <summary>
    /// The graph as a Mermaid flowchart, left to right, in the form asked for.
    /// <para><see cref="PipelineGraphForm.Calls"/>: one box per call with its method, its label and, below, its outcome and
    /// duration (<c>succeeded · 12 ms</c>, <c>threw IOException · 3 ms</c>, <c>not run: Parse failed</c>,
    /// <c>cancelled, not run</c>), coloured by outcome; an edge per argument, drawn thick and labelled where a failure
    /// (<c>faulted</c>) or a cancellation (<c>cancelled</c>) moved on to a call that then never ran.</para>
    /// <para><see cref="PipelineGraphForm.Grouped"/>: one box per method (<see cref="Groups"/>) with how many of its calls
    /// ended each way and how long they ran; an edge per pair of methods with how many futures went that way; and, kept
    /// one by one, the calls that threw (the first <see cref="MaxFailuresShown"/>), each with its label, its exception, and
    /// an edge to every method whose calls it took down.</para>
    /// <para><see cref="PipelineGraphForm.Auto"/>: calls while they fit Mermaid's limits, grouped beyond.</para>
    /// </summary>
    /// <param name="form">Which drawing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="form"/> is not a <see cref="PipelineGraphForm"/>.</exception>
    public string ToMermaid(PipelineGraphForm form) => Choose(form) switch
    {
        PipelineGraphForm.Grouped => GroupedMermaid(),
        _ => _callsMermaid ??= CallsMermaid(),
    };

    /// <summary>The graph in Graphviz's DOT language (<c>dot -Tsvg</c>), in the same form <see cref="ToMermaid()"/> chooses.</summary>
    public string ToDot() => ToDot(PipelineGraphForm.Auto);

    /// <summary>The graph in Graphviz's DOT language (<c>dot -Tsvg</c>), drawn like <see cref="ToMermaid(PipelineGraphForm)"/>.</summary>
    /// <param name="form">Which drawing; <see cref="PipelineGraphForm.Auto"/> chooses as <see cref="ToMermaid()"/> does, so both show the same picture.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="form"/> is not a <see cref="PipelineGraphForm"/>.</exception>
    public string ToDot(PipelineGraphForm form) => Choose(form) == PipelineGraphForm.Grouped ? GroupedDot() : CallsDot();

    /// <summary>Mermaid's default <c>maxEdges</c>: above it, viewers refuse to draw a flowchart.</summary>
    public const int MaxMermaidEdges = 500;

    /// <summary>Mermaid's default <c>maxTextSize</c>, in characters: above it, viewers refuse to draw a diagram.</summary>
    public const int MaxMermaidCharacters = 50_000;

    /// <summary>How many calls that threw the grouped form keeps one by one (the first ones); it counts the rest.</summary>
    public const int MaxFailuresShown = 20;

    private string? _callsMermaid;

    private PipelineGraphForm Choose(PipelineGraphForm form)
    {
        if (form is not (PipelineGraphForm.Auto or PipelineGraphForm.Calls or PipelineGraphForm.Grouped))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Use PipelineGraphForm.Auto, Calls or Grouped.");
        }

        if (form != PipelineGraphForm.Auto)
        {
            return form;
        }

        // Decided on the Mermaid drawing, for both languages, so that they show the same picture.
        return Edges.Count > MaxMermaidEdges || (_callsMermaid ??= CallsMermaid()).Length > MaxMermaidCharacters
            ? PipelineGraphForm.Grouped
            : PipelineGraphForm.Calls;
    }

    private string CallsMermaid()
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        foreach (PipelineGraphNode node in Nodes)
        {
            text.Append("    ").Append(node.Id).Append("[\"").Append(MermaidText(node.Method));
            if (node.Label is { } label)
            {
                text.Append("<br/>").Append(MermaidText(label));
            }

            text.Append("<br/>").Append(MermaidText(Outcome(node))).Append("\"]:::").Append(Kind(node)).Append('\n');
        }

        foreach (PipelineGraphEdge edge in Edges)
        {
            text.Append("    ").Append(edge.From.Id).Append(' ').Append(MermaidArrow(edge)).Append(' ').Append(edge.To.Id).Append('\n');
        }

        AppendClassDefs(text, Uses);
        return text.ToString();
    }

    private static void AppendClassDefs(StringBuilder text, Func<string, bool> uses)
    {
        foreach ((string kind, string fill, string stroke, string mermaid, _) in s_styles)
        {
            if (uses(kind))
            {
                text.Append("    classDef ").Append(kind).Append(" fill:").Append(fill).Append(",stroke:").Append(stroke)
                    .Append(",color:#202124").Append(mermaid).Append('\n');
            }
        }
    }

    private string CallsDot()
    {
        var text = new StringBuilder();
        text.Append("digraph pipeline {\n");
        text.Append("    rankdir=LR;\n");
        text.Append("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        text.Append("    edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (PipelineGraphNode node in Nodes)
        {
            (_, string fill, string stroke, _, string dot) = Style(Kind(node));
            string label = node.Label is { } l ? "\\n" + DotText(l) : string.Empty;
            text.Append("    ").Append(node.Id).Append(" [label=\"").Append(DotText(node.Method)).Append(label).Append("\\n").Append(DotText(Outcome(node)))
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

    /// <summary>True for a call that faulted without running because an argument failed.</summary>
    internal static bool IsSkipped(PipelineGraphNode node) => node.State == FutureState.Faulted && (node.Cause is not null || node.Runs == 0);

    /// <summary>The drawing class of a node: ok, failed (it threw), skipped (faulted without running), cancelled, running, pending.</summary>
    private static string Kind(PipelineGraphNode node) => node.State switch
    {
        FutureState.Succeeded => "ok",
        FutureState.Faulted => IsSkipped(node) ? "skipped" : "failed",
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
