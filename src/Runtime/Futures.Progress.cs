using System;
using System.Collections.Generic;

namespace Pipelines;

// Progress of a set of futures: how many are done, and how.
public static partial class Futures
{
    /// <summary>
    /// Tracks how many of <paramref name="futures"/> are done, and how (Dask's <c>progress</c>): iterate the tracker
    /// with <c>await foreach</c> for each change, pass an <see cref="IProgress{T}"/>, or read
    /// <see cref="ProgressTracker.Current"/>. Duplicates count once.
    /// </summary>
    /// <param name="futures">The futures to watch; none may be null. Read once, at this call.</param>
    /// <param name="progress">Gets the first snapshot, then each change, the complete one last. Reports are made one
    /// at a time on the .NET thread pool, so a slow handler never holds up a worker (a <see cref="Progress{T}"/> then
    /// posts to its captured context, e.g. a UI thread). A handler that throws is reported on standard error.</param>
    /// <returns>The tracker.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <example>
    /// <code>
    /// await foreach (PipelineProgress p in Futures.Progress(futures))
    ///     Console.Write($"\r{p.Done}/{p.Total} ({p.Faulted} failed)");
    /// </code>
    /// </example>
    public static ProgressTracker Progress(IEnumerable<Future> futures, IProgress<PipelineProgress>? progress = null)
    {
        Future[] distinct = Distinct(futures, nameof(futures));
        return new ProgressTracker(distinct, progress);
    }
}
