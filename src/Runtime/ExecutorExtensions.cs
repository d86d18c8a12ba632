using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary><c>Map</c> and <c>MapAsync</c> for every <see cref="IExecutor"/> (Python's <c>Executor.map</c>).</summary>
public static partial class ExecutorExtensions
{
    /// <summary>
    /// Runs <paramref name="function"/> over <paramref name="items"/> on the executor and yields the results in
    /// input order (Python's <c>map</c>). The work starts at once: a few runner calls (up to the executor's worker
    /// count) take items from the input in order and fill ordered result slots — all of the input, or at most
    /// <paramref name="bufferSize"/> items ahead of the consumer, so an endless input runs in constant memory. A
    /// call's exception is rethrown when its result is reached. Stopping the enumeration early stops the runners:
    /// items not yet started never run.
    /// </summary>
    /// <param name="executor">Where the calls run.</param>
    /// <param name="function">The call to make for each item.</param>
    /// <param name="items">The inputs, read lazily when <paramref name="bufferSize"/> is set.</param>
    /// <param name="timeout">The limit for the whole map, from this call; a result not ready by then throws <see cref="TimeoutException"/>.</param>
    /// <param name="bufferSize">How many calls may be submitted ahead of the consumer; null for all.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> is less than 1, or <paramref name="timeout"/> is negative.</exception>
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, TResult> function, IEnumerable<T> items, TimeSpan? timeout = null, int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        return new OrderedMap<T, TResult>(executor, function, items, Deadline.From(timeout, nameof(timeout)), CheckBufferSize(bufferSize));
    }

    /// <summary>Maps a two-argument function over two sequences in step, stopping at the shorter (Python's <c>map(fn, xs, ys)</c>).</summary>
    /// <inheritdoc cref="Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, TResult> function, IEnumerable<T1> items1, IEnumerable<T2> items2, TimeSpan? timeout = null, int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items1);
        ArgumentNullException.ThrowIfNull(items2);
        return executor.Map(pair => function(pair.First, pair.Second), items1.Zip(items2), timeout, bufferSize);
    }

    /// <summary>Maps a three-argument function over three sequences in step, stopping at the shortest.</summary>
    /// <inheritdoc cref="Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>
    public static IEnumerable<TResult> Map<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, TResult> function, IEnumerable<T1> items1, IEnumerable<T2> items2, IEnumerable<T3> items3, TimeSpan? timeout = null, int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items1);
        ArgumentNullException.ThrowIfNull(items2);
        ArgumentNullException.ThrowIfNull(items3);
        return executor.Map(triple => function(triple.First, triple.Second, triple.Third), items1.Zip(items2, items3), timeout, bufferSize);
    }

    /// <summary>
    /// The asynchronous <see cref="Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>:
    /// results are awaited, not blocked on. Submission starts with the enumeration.
    /// </summary>
    /// <inheritdoc cref="Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>
    public static IAsyncEnumerable<TResult> MapAsync<T, TResult>(this IExecutor executor, Func<T, TResult> function, IEnumerable<T> items, TimeSpan? timeout = null, int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        Deadline.From(timeout, nameof(timeout));
        int? window = CheckBufferSize(bufferSize);
        return MapAsyncCore(executor, function, items, timeout, window, default);
    }

    private static async IAsyncEnumerable<TResult> MapAsyncCore<T, TResult>(IExecutor executor, Func<T, TResult> function, IEnumerable<T> items, TimeSpan? timeout, int? bufferSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var map = new OrderedMap<T, TResult>(executor, function, items, Deadline.From(timeout, nameof(timeout)), bufferSize);
        while (true)
        {
            (bool hasResult, TResult result) = await map.MoveNextAsync(cancellationToken).ConfigureAwait(false);
            if (!hasResult)
            {
                yield break;
            }

            yield return result;
        }
    }

    /// <summary>
    /// A view of <paramref name="executor"/> whose calls are cancelled when <paramref name="cancellationToken"/> fires:
    /// every call submitted through it (delegates and generated stubs alike) runs on <paramref name="executor"/>; when
    /// the token fires, calls that have not started never run, running calls get their token signalled, and pending
    /// calls that depend on them are cancelled too. The executor itself keeps running; shutting down or disposing the
    /// view does nothing to it.
    /// </summary>
    /// <param name="executor">The executor the calls run on.</param>
    /// <param name="cancellationToken">Cancels the calls submitted through the view.</param>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="executor"/> is not one of Pipelines' executors or a view of one (see <see cref="IExecutor"/>).</exception>
    public static IExecutor WithCancellation(this IExecutor executor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _ = CancellationView.Unwrap(executor, out _);
        return new CancellationView(executor, cancellationToken);
    }

    private static int? CheckBufferSize(int? bufferSize) =>
        bufferSize is < 1
            ? throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "bufferSize must be at least 1, or null to submit every item at once.")
            : bufferSize;
}
