using System.Runtime.ExceptionServices;

namespace Pipelines.Internals;

/// <summary>The results of one chunk of a map: each item's value or exception, and how long the items ran.</summary>
internal sealed class ChunkResults<TResult>(int count)
{
    public TResult[] Values { get; } = new TResult[count];

    public ExceptionDispatchInfo?[]? Errors { get; private set; }

    /// <summary>How long the items ran where the chunk ran, in seconds; -1 if unknown.</summary>
    public double RunSeconds { get; set; } = -1;

    public void Fail(int index, ExceptionDispatchInfo error) => (Errors ??= new ExceptionDispatchInfo?[Values.Length])[index] = error;
}
