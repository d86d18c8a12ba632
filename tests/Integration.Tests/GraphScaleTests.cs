using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>
/// A pipeline a newcomer builds (300 pages, four calls each and an index: 1,201 calls) draws a graph every Mermaid
/// viewer renders: grouped by method, with the pages that failed named by their labels.
/// </summary>
public sealed class GraphScaleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AThreeHundredPageSiteDrawsAGroupedGraphUnderMermaidsLimitsThatNamesItsStagesAndFailedPages()
    {
        PipelineGraph graph;
        using (Futures.RecordGraph())
        {
            using var executor = new ThreadPoolExecutor(maxWorkers: 4);
            Future<int> index = StaticSite.Build(executor, StaticSite.Pages());
            Assert.True(index.Wait(Timeout));
            Assert.IsType<IOException>(index.GetException());

            // The index faults with the first page that fails, while other pages may still run: wait for all of them.
            await executor.ShutdownAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);
            graph = Futures.Graph(index);
        }

        Assert.Equal(1_201, graph.Nodes.Count);
        Assert.Equal(1_200, graph.Edges.Count); // the index's list of futures is drawn as 300 edges into Index, no "All" or "Gather" node
        Assert.True(graph.ToMermaid(PipelineGraphForm.Calls).Length > PipelineGraph.MaxMermaidCharacters);

        string mermaid = graph.ToMermaid();
        Assert.True(mermaid.Length <= PipelineGraph.MaxMermaidCharacters, $"{mermaid.Length} characters");
        int edges = mermaid.Split('\n').Count(line => line.Contains("-->", StringComparison.Ordinal) || line.Contains("==>", StringComparison.Ordinal)
            || line.Contains("-.-", StringComparison.Ordinal));
        Assert.True(edges <= PipelineGraph.MaxMermaidEdges, $"{edges} edges");
        Assert.Equal(new[] { "Fetch", "Parse", "Render", "WritePage", "Index" }, graph.Groups.Select(g => g.Method));
        foreach (string stage in new[] { "Fetch<br/>300 calls: 295 succeeded · 5 threw", "Parse<br/>300 calls: 295 succeeded · 5 not run", "Render<br/>", "WritePage<br/>", "Index<br/>1 call: 1 not run" })
        {
            Assert.Contains(stage, mermaid, StringComparison.Ordinal);
        }

        // The calls that threw are kept one by one, named by their page; labels flow down each page's chain.
        Assert.Contains("[\"Fetch · broken-17<br/>threw IOException: broken-17: not found\"]:::failed", mermaid, StringComparison.Ordinal);
        Assert.Equal(5, graph.Nodes.Count(n => n.Method == "Fetch" && n.State == FutureState.Faulted && n.Label!.StartsWith("broken-", StringComparison.Ordinal)));
        Assert.All(graph.Nodes.Where(n => n.Method is "Parse" or "Render"), n => Assert.Matches("^(page|broken)-[0-9]+$", n.Label));
        Assert.All(graph.Nodes.Where(n => n.Method == "WritePage"), n => Assert.Matches("^site/(page|broken)-[0-9]+\\.html$", n.Label));
        Assert.Null(graph.Nodes.Single(n => n.Method == "Index").Label);
    }
}
