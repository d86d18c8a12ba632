using System;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines;

public static partial class Futures
{
    /// <summary>
    /// The dependency graph that ends in <paramref name="roots"/>: each call, the argument futures it waited for, each
    /// node's method, state and duration. Draw it with <see cref="PipelineGraph.ToMermaid()"/> or <see cref="PipelineGraph.ToDot()"/>.
    /// </summary>
    /// <remarks>
    /// <para>A call drops its arguments when it completes, so that a finished pipeline can be collected. Edges and
    /// durations are therefore known for the calls submitted while a recording was open (<see cref="RecordGraph"/>);
    /// of other calls the graph shows the arguments of those still waiting (generated stubs of static methods) and
    /// none of finished ones.</para>
    /// <para>The graph is a snapshot: states and durations are read once, now. Reading it does not count as
    /// observing a future's exception.</para>
    /// <para>A collection argument given as futures (or <see cref="All{T}(IEnumerable{Future{T}})"/> passed to a call) is
    /// drawn as an edge from each element into the call that takes it, not as a node of its own. Each node carries the
    /// call's label (<c>[Submittable(Label = …)]</c>); a big graph is drawn grouped by method
    /// (<see cref="PipelineGraph.ToMermaid(PipelineGraphForm)"/>).</para>
    /// </remarks>
    /// <param name="roots">The futures to start from (usually the pipeline's last ones); none may be null.</param>
    /// <returns>The graph, arguments before the calls that use them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roots"/> or one of its elements is null.</exception>
    public static PipelineGraph Graph(IEnumerable<Future> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var items = new List<Future>();
        foreach (Future root in roots)
        {
            items.Add(root ?? throw new ArgumentNullException(nameof(roots), "A future in the collection is null."));
        }

        return PipelineGraph.From(items);
    }

    /// <inheritdoc cref="Graph(IEnumerable{Future})"/>
    public static PipelineGraph Graph(params Future[] roots) => Graph((IEnumerable<Future>)roots);

    /// <summary>
    /// Starts recording pipeline graphs: until the returned object is disposed, every call submitted (on any thread)
    /// keeps the edges to its argument futures and its timings, so <see cref="Graph(IEnumerable{Future})"/> can draw it
    /// after it finished. Keep the recording open until the pipeline is done, for its durations.
    /// </summary>
    /// <remarks>
    /// A recorded call keeps its argument futures reachable for as long as it is itself reachable: holding the last future
    /// of a recorded pipeline holds the whole pipeline (and its results) in memory. Calls submitted outside a recording
    /// keep nothing. Recordings may overlap; while any is open, telemetry hooks run for every call.
    /// </remarks>
    /// <returns>Ends the recording when disposed (once; later disposals do nothing).</returns>
    /// <example>
    /// <code>
    /// using (Futures.RecordGraph())
    /// {
    ///     Future&lt;int&gt; total = pool.SubmitAdd(pool.SubmitParse(a), pool.SubmitParse(b));
    ///     total.Wait();
    ///     File.WriteAllText("pipeline.md", "```mermaid\n" + Futures.Graph(total).ToMermaid() + "```\n");
    /// }
    /// </code>
    /// </example>
    public static IDisposable RecordGraph() => new GraphRecording();

    private sealed class GraphRecording : IDisposable
    {
        private int _disposed;

        public GraphRecording() => Diagnostics.Telemetry.BeginGraphRecording();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Diagnostics.Telemetry.EndGraphRecording();
            }
        }
    }
}
