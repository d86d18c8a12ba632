using System;
using System.Linq;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

/// <summary>Futures.Graph (issue 16): the dependency graph with each node's method, state and duration, as Mermaid and DOT.</summary>
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
