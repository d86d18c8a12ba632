using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

/// <summary>Futures.Graph: the dependency graph with each node's method, state and duration, as Mermaid and DOT.</summary>
[Collection(nameof(ProcessWide))] // a recording turns the telemetry hooks on for every call in the process
public class GraphTests
{
    [Fact]
    public void AFailedPipelineMatchesItsMermaidSnapshot()
    {
        Snapshot.Verify(FailedPipeline().ToMermaid(), nameof(GraphTests));
    }

    [Fact]
    public void AFailedPipelineMatchesItsDotSnapshot()
    {
        Snapshot.Verify(FailedPipeline().ToDot(), nameof(GraphTests));
    }

    [Fact]
    public void NodesSayWhoFailedWhatTheyTookDownAndWhatRan()
    {
        PipelineGraph graph = FailedPipeline();
        Assert.Equal(
            new[] { "n0 Load(Succeeded)", "n1 Parse(Succeeded)", "n2 Load(Faulted)", "n3 Parse(Faulted)", "n4 Future(Cancelled)", "n5 Parse(Cancelled)", "n6 Merge(Faulted)", "n7 Report(Faulted)" },
            graph.Nodes.Select(n => n.ToString()));
        PipelineGraphNode threw = graph.Nodes[2];
        Assert.IsType<FormatException>(threw.Exception);
        Assert.Equal(1, threw.Runs);
        Assert.NotNull(threw.Duration);
        Assert.Null(threw.Cause);
        Assert.Same(threw, graph.Nodes[3].Cause);
        Assert.Equal(0, graph.Nodes[3].Runs);
        Assert.Null(graph.Nodes[3].Duration);
        Assert.Same(graph.Nodes[3], graph.Nodes[6].Cause);
        Assert.Same(graph.Nodes[4], graph.Nodes[5].Cause);
        Assert.True(graph.Nodes[7].IsRoot);
        Assert.Equal(new[] { true, false }, new[] { graph.Nodes[7].IsRoot, graph.Nodes[6].IsRoot });
        Assert.Equal("graph", graph.Nodes[0].Executor);
        Assert.Equal(7, graph.Edges.Count);
        Assert.Equal(new[] { "n2->n3", "n4->n5", "n3->n6", "n6->n7" }, graph.Edges.Where(e => e.Propagated).Select(e => $"{e.From.Id}->{e.To.Id}"));
    }

    [Fact]
    public void WithoutARecordingAFinishedPipelineShowsOnlyItsRoots()
    {
        Telemetry.Refresh();
        using var inline = new InlineExecutor("graph-unrecorded");
        Future<int> a = new LoadCall(inline, _ => 1);
        Future<int> b = new AddCall(inline, v => v[0] + 1, a);
        PipelineGraph graph = Futures.Graph(b);
        Assert.Equal("Add(Succeeded)", graph.Nodes.Single().Future.ToString());
        Assert.Empty(graph.Edges);
        Assert.Null(graph.Nodes[0].Runs);
        Assert.Null(graph.Nodes[0].Duration);
    }

    [Fact]
    public void WithoutARecordingAWaitingGeneratedCallStillShowsItsArguments()
    {
        using var inline = new InlineExecutor("graph-live");
        var promise = new Promise<int>();
        Future<int> sum = new RemotableCall(inline, promise.Future, Future.FromResult(2));
        PipelineGraph graph = Futures.Graph(sum);
        Assert.Equal(3, graph.Nodes.Count);
        Assert.Equal(new[] { "n0->n2", "n1->n2" }, graph.Edges.Select(e => $"{e.From.Id}->{e.To.Id}"));
        Assert.Equal(FutureState.Pending, graph.Nodes[2].State);
        Assert.Contains("pending", graph.ToMermaid(), StringComparison.Ordinal);
        promise.SetResult(1);
        Assert.Equal(3, sum.GetResult(Wait.Long));
    }

    [Fact]
    public void TakingAGraphDoesNotObserveExceptions()
    {
        using var inline = new InlineExecutor("graph-observe");
        Future<int> boom = new LoadCall(inline, _ => throw new InvalidOperationException("x"));
        _ = Futures.Graph(boom).ToMermaid();
        Assert.False(boom.ExceptionHolder!.IsObserved);
        _ = boom.GetException();
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("roots", Assert.Throws<ArgumentNullException>(() => Futures.Graph((Future[])null!)).ParamName);
        Assert.Equal("roots", Assert.Throws<ArgumentNullException>(() => Futures.Graph(Future.CompletedFuture, null!)).ParamName);
    }

    [Fact]
    public void LabelsAreEscaped()
    {
        Assert.Equal("850 µs", PipelineGraph.FormatDuration(TimeSpan.FromMicroseconds(850)));
        Assert.Equal("12.5 ms", PipelineGraph.FormatDuration(TimeSpan.FromMilliseconds(12.5)));
        Assert.Equal("1.25 s", PipelineGraph.FormatDuration(TimeSpan.FromMilliseconds(1250)));
        using var inline = new InlineExecutor("graph-escape");
        Future<int> lambda = inline.Submit(() => 1);
        string mermaid = Futures.Graph(lambda).ToMermaid();
        Assert.DoesNotContain("<>", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void AGatheringIsDrawnAsEdgesFromItsElementsIntoTheCallThatTakesIt()
    {
        using IDisposable recording = Futures.RecordGraph();
        using var inline = new InlineExecutor("graph-gather");
        var pages = Enumerable.Range(0, 3).Select(i => (Future<int>)new LoadCall(inline, _ => i)).ToList();
        Future<int> index = new MergeCall(inline, v => v[0].GetHashCode(), Futures.All(pages).Then(values => values.Sum()));
        Wait.Done(index);

        PipelineGraph graph = Futures.Graph(index);
        Assert.DoesNotContain(graph.Nodes, n => n.Method is "All" or "Gather");
        Assert.Equal(new[] { "Load", "Load", "Load", "Then", "Merge" }, graph.Nodes.Select(n => n.Method));
        Assert.Equal(3, graph.Edges.Count(e => e.From.Method == "Load"));
    }

    [Fact]
    public void NodesCarryTheirCallsLabels()
    {
        using IDisposable recording = Futures.RecordGraph();
        using var inline = new InlineExecutor("graph-labels");
        Future<int> page = new PageCall(inline, "about.md", _ => 1);
        Future<int> broken = new PageCall(inline, "a \"quoted\" <b>name</b>", _ => throw new FormatException("bad"));
        PipelineGraph graph = Futures.Graph(page, broken);
        Assert.Equal(new[] { "about.md", "a \"quoted\" <b>name</b>" }, graph.Nodes.Select(n => n.Label));
        Assert.Equal("n0 Page about.md(Succeeded)", graph.Nodes[0].ToString());
        string mermaid = graph.ToMermaid();
        Assert.Contains("n0[\"Page<br/>about.md<br/>succeeded", mermaid, StringComparison.Ordinal);
        Assert.Contains("a #quot;quoted#quot; #lt;b#gt;name#lt;/b#gt;", mermaid, StringComparison.Ordinal);
        Assert.Contains("label=\"Page\\nabout.md\\nsucceeded", graph.ToDot(), StringComparison.Ordinal);
        _ = broken.GetException();
    }

    [Fact]
    public void ABigPipelineIsDrawnGroupedByMethodWithItsFailuresKeptOneByOne()
    {
        PipelineGraph graph = Site(pages: 300, failing: 7);
        Assert.Equal(1 + (300 * 3), graph.Nodes.Count);
        Assert.True(graph.ToMermaid(PipelineGraphForm.Calls).Length > PipelineGraph.MaxMermaidCharacters);

        string mermaid = graph.ToMermaid();
        Assert.Equal(mermaid, graph.ToMermaid(PipelineGraphForm.Grouped));
        Assert.True(mermaid.Length < PipelineGraph.MaxMermaidCharacters, $"{mermaid.Length} characters");
        Assert.True(mermaid.Split('\n').Count(l => l.Contains("--", StringComparison.Ordinal) || l.Contains("==>", StringComparison.Ordinal)) < PipelineGraph.MaxMermaidEdges);
        Assert.Equal(new[] { "Load", "Parse", "Page", "Merge" }, graph.Groups.Select(g => g.Method));
        PipelineGraphGroup load = graph.Groups[0];
        Assert.Equal((300, 300 - 7, 7), (load.Nodes.Count, load.Succeeded, load.Threw));
        Assert.Equal((300, 7), (graph.Groups[1].Nodes.Count, graph.Groups[1].NotRun));
        Assert.Equal(300, graph.GroupEdges.Single(e => e.From.Method == "Load" && e.To.Method == "Parse").Count);
        Assert.Equal(7, graph.GroupEdges.Single(e => e.From.Method == "Load" && e.To.Method == "Parse").Propagated);
        Assert.Contains("g0[\"Load<br/>300 calls: 293 succeeded · 7 threw", mermaid, StringComparison.Ordinal);
        Assert.Contains("g0 -->|293| g1", mermaid, StringComparison.Ordinal);
        Assert.Contains("g0 ==>|7 faulted| g1", mermaid, StringComparison.Ordinal);
        Assert.Contains("f0[\"Load<br/>threw FormatException: page 0 is corrupt\"]:::failed", mermaid, StringComparison.Ordinal);
        Assert.Contains("f0 ==>|took down 1| g1", mermaid, StringComparison.Ordinal);
        Assert.Contains("f0 ==>|took down 1| g3", mermaid, StringComparison.Ordinal); // the first failure reached Merge (the others found it faulted)
        Assert.Contains("digraph pipeline", graph.ToDot(), StringComparison.Ordinal);
        Assert.Contains("g0 -> g1 [label=\"293\"]", graph.ToDot(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASmallPipelineIsDrawnCallByCallUnlessTheGroupedFormIsAskedFor()
    {
        PipelineGraph graph = FailedPipeline();
        Assert.Equal(graph.ToMermaid(PipelineGraphForm.Calls), graph.ToMermaid());
        Assert.StartsWith("flowchart LR\n    g0[\"Load<br/>2 calls: 1 succeeded · 1 threw", graph.ToMermaid(PipelineGraphForm.Grouped), StringComparison.Ordinal);
        Assert.Equal("form", Assert.Throws<ArgumentOutOfRangeException>(() => graph.ToMermaid((PipelineGraphForm)42)).ParamName);
        Assert.Equal("form", Assert.Throws<ArgumentOutOfRangeException>(() => graph.ToDot((PipelineGraphForm)42)).ParamName);
    }

    /// <summary>
    /// <paramref name="pages"/> × (Load → Parse → Page), Page also taking the previous page; Merge over every page. Every
    /// <paramref name="failing"/>th Load throws.
    /// </summary>
    private static PipelineGraph Site(int pages, int failing)
    {
        using IDisposable recording = Futures.RecordGraph();
        using var inline = new InlineExecutor("graph-site");
        var rendered = new List<Future<int>>();
        int failed = 0;
        for (int i = 0; i < pages; i++)
        {
            int page = i;
            bool fails = i % (pages / failing) == 0 && failed++ < failing;
            Future<int> load = new LoadCall(inline, _ => fails ? throw new FormatException($"page {page} is corrupt") : page);
            Future<int> parsed = new ParseCall(inline, v => v[0], load);
            rendered.Add(new PageCall(inline, $"page-{page}.html", v => v[0], parsed));
        }

        Future<int> merged = new MergeCall(inline, v => v.Length, rendered.Select(f => (FutureOr<int>)f).ToArray());
        Wait.Done(merged);
        return Futures.Graph(merged);
    }

    /// <summary>
    /// Load(ok) → Parse(ok) ┐
    /// Load(threw) → Parse(not run) ┼→ Merge(not run) → Report(not run)
    /// cancelled → Parse(cancelled) ┘
    /// </summary>
    private static PipelineGraph FailedPipeline()
    {
        using IDisposable recording = Futures.RecordGraph();
        using var inline = new InlineExecutor("graph");
        Future<int> good = new LoadCall(inline, _ => 1);
        Future<int> parsed = new ParseCall(inline, v => v[0], good);
        Future<int> bad = new LoadCall(inline, _ => throw new FormatException("bad input"));
        Future<int> notParsed = new ParseCall(inline, v => v[0], bad);
        Future<int> skipped = new ParseCall(inline, v => v[0], Future.FromCancelled<int>());
        Future<int> merged = new MergeCall(inline, v => v.Sum(), parsed, notParsed, skipped);
        Future<int> report = new ReportCall(inline, v => v[0], merged);
        Assert.IsType<FormatException>(report.GetException());
        return Futures.Graph(report);
    }
}
