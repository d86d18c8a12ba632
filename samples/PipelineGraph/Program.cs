// PipelineGraph: a report built from three sources, where one source is corrupt. The pipeline is recorded, and once
// it has failed the sample writes its Mermaid graph (pipeline-graph.md beside its build output, or the path given; never
// into the folder it runs from, which is usually the repository) and says which call failed,
// which calls it took down with it, and which calls the sample cancelled when it saw the failure.
//   Fetch(x) -> Parse -> ┐
//   Fetch(y) -> Parse -> ├-> Merge -> Summarize
//   Fetch(z) -> Parse -> ┘
//   Thumbnail(1..6): independent work, queued behind the rest
// Usage: dotnet run --project samples/PipelineGraph [output.md]
using Pipelines;

string output = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "pipeline-graph.md"));
await using var executor = new ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "report");

PipelineGraph graph;
using (Futures.RecordGraph()) // calls submitted meanwhile keep their edges and timings for the graph
{
    Future<string>[] fetched = new[] { "x", "y", "z" }.Select(source => executor.SubmitFetch(source)).ToArray();
    Future<int>[] parsed = fetched.Select(text => executor.SubmitParse(text)).ToArray();
    Future<int> merged = executor.SubmitMerge(parsed[0], parsed[1], parsed[2]);
    Future<string> summary = executor.SubmitSummarize(merged);
    Future<int>[] thumbnails = Enumerable.Range(1, 6).Select(executor.SubmitThumbnail).ToArray();

    // Stop at the first failure, as a job would: cancel everything that has not started.
    Future[] all = [.. fetched, .. parsed, merged, summary, .. thumbnails];
    (IReadOnlyList<Future> done, IReadOnlyList<Future> notDone) = await Futures.WaitAsync(all, ReturnWhen.FirstException);
    int cancelled = notDone.Count(f => f.Cancel());
    Console.WriteLine($"First failure after {done.Count} of {all.Length} calls were done; cancelled {cancelled} that had not started.");
    await Futures.WaitAsync(all); // the rest finish (running calls) or are already cancelled
    graph = Futures.Graph([summary, .. thumbnails]);
}

// What the graph says.
foreach (PipelineGraphNode failed in graph.Nodes.Where(n => n.State == FutureState.Faulted && n.Cause is null))
{
    Console.WriteLine($"{failed.Method} ({failed.Id}) failed: {failed.Exception?.GetType().Name}: {failed.Exception?.Message}");
    List<PipelineGraphNode> tookDown = graph.Nodes.Where(n => CausedBy(n, failed)).ToList();
    Console.WriteLine($"  it took down, without their running: {string.Join(", ", tookDown.Select(n => $"{n.Method} ({n.Id})"))}");
}

List<PipelineGraphNode> cancelledNodes = graph.Nodes.Where(n => n.State == FutureState.Cancelled).ToList();
Console.WriteLine($"  cancelled after the failure: {string.Join(", ", cancelledNodes.Select(n => $"{n.Method} ({n.Id})"))}");

string mermaid = graph.ToMermaid();
File.WriteAllText(output, $"# A failed pipeline\n\nRed: the call that threw. Orange: calls that failed because an argument failed (never ran). Grey, dashed: cancelled.\n\n```mermaid\n{mermaid}```\n");
Console.WriteLine();
Console.WriteLine(mermaid);
Console.WriteLine($"Written to {output} (GitHub and most markdown viewers draw it).");
return 0;

static bool CausedBy(PipelineGraphNode node, PipelineGraphNode failed)
{
    for (PipelineGraphNode? cause = node.Cause; cause is not null; cause = cause.Cause)
    {
        if (cause == failed)
        {
            return true;
        }
    }

    return false;
}

/// <summary>The report's steps: plain methods, made submittable.</summary>
public static partial class Report
{
    private static readonly Dictionary<string, string> s_sources = new()
    {
        ["x"] = "1\n2\n3",
        ["y"] = "4\nfive\n6", // corrupt
        ["z"] = "7\n8\n9",
    };

    /// <summary>Reads a source (a short wait stands for the network).</summary>
    [Submittable]
    public static string Fetch(string source)
    {
        Thread.Sleep(50);
        return s_sources[source];
    }

    /// <summary>Adds up the numbers of a source, one per line.</summary>
    /// <exception cref="FormatException">A line is not a number.</exception>
    [Submittable]
    public static int Parse(string text)
    {
        int sum = 0;
        foreach ((string line, int number) in text.Split('\n').Select((line, i) => (line, i + 1)))
        {
            sum += int.TryParse(line, out int value) ? value : throw new FormatException($"line {number} is not a number: '{line}'");
        }

        return sum;
    }

    /// <summary>Combines the three parts.</summary>
    [Submittable]
    public static int Merge(int a, int b, int c) => a + b + c;

    /// <summary>Writes the report's one line.</summary>
    [Submittable]
    public static string Summarize(int total) => $"total: {total}";

    /// <summary>Independent, slower work that shares the pool.</summary>
    [Submittable]
    public static int Thumbnail(int image)
    {
        Thread.Sleep(100);
        return image;
    }
}
