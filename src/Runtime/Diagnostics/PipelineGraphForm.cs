namespace Pipelines;

/// <summary>How <see cref="PipelineGraph.ToMermaid(PipelineGraphForm)"/> and <see cref="PipelineGraph.ToDot(PipelineGraphForm)"/> draw a pipeline.</summary>
public enum PipelineGraphForm
{
    /// <summary>Call by call while the drawing fits what every Mermaid viewer draws (500 edges, 50,000 characters), grouped beyond.</summary>
    Auto,

    /// <summary>One node per call, one edge per argument future.</summary>
    Calls,

    /// <summary>One node per method with how its calls ended, edges with how many futures went between two methods, and the calls that threw one by one.</summary>
    Grouped,
}
