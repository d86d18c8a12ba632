using System;
using System.Collections.Generic;
using Pipelines.Advanced;

namespace Pipelines;

public static partial class Futures
{
    /// <summary>
    /// Gathers futures into one (<c>asyncio.gather</c>, <c>Task.WhenAll</c>): it succeeds with every result, in input
    /// order, when all have succeeded; it faults with the first failure's exception instance (so <c>catch (IOException)</c>
    /// works downstream) and is cancelled when an input is cancelled, like any dependent. No thread waits: it completes
    /// on the thread that completes its last input. Cancelling it leaves its inputs alone.
    /// </summary>
    /// <typeparam name="T">The futures' result.</typeparam>
    /// <param name="futures">The futures to gather; none may be null. Empty gives a succeeded future of an empty array.</param>
    /// <returns>A future of all the results, in the order of <paramref name="futures"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    public static Future<T[]> All<T>(IEnumerable<Future<T>> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        var inputs = new List<Future<T>>(futures is ICollection<Future<T>> collection ? collection.Count : 4);
        foreach (Future<T> future in futures)
        {
            inputs.Add(future ?? throw new ArgumentNullException(nameof(futures), "A future in the collection is null."));
        }

        return inputs.Count == 0 ? Future.FromResult(Array.Empty<T>()) : new GatherFuture<T>(inputs);
    }

    /// <summary>A dependent of every input that, when they have all succeeded, collects their results (on the inline executor).</summary>
    private sealed class GatherFuture<T> : CallFuture<T[]>
    {
        private List<Future<T>>? _inputs;

        public GatherFuture(List<Future<T>> inputs)
            : base(InlineExecutor.ForCompletedFutures)
        {
            _inputs = inputs;
            foreach (Future<T> input in inputs)
            {
                DependOn(input);
            }

            Start();
        }

        protected override T[] Invoke()
        {
            List<Future<T>> inputs = _inputs!;
            var results = new T[inputs.Count];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = inputs[i].ResultIfSucceeded;
            }

            return results;
        }

        protected override void ReleaseArguments() => _inputs = null;
    }
}
