using System;
using System.ComponentModel;

namespace Pipelines.Advanced;

/// <summary>Helpers that generated stubs call. Not meant for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Stubs
{
    /// <summary>
    /// The executor a <c>Then…</c> stub runs on: the source future's own, or — for a future made by
    /// <see cref="Future.FromResult{T}(T)"/> and friends, which has none — an inline executor that runs the call
    /// on the thread that completes its last argument.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IExecutor ExecutorOf(Future source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Executor ?? InlineExecutor.ForCompletedFutures;
    }
}
