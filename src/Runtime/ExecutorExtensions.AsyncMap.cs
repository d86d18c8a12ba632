using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Pipelines;

// Async streaming map: an async source, an async function, a bounded number of calls in flight, results in input
// order or as they complete.
public static partial class ExecutorExtensions
{
    /// <summary>
    /// Runs the asynchronous <paramref name="function"/> over an asynchronous stream of <paramref name="items"/> on the
    /// executor, with at most <paramref name="maxInFlight"/> calls running or queued at once (backpressure: the source
    /// is read only as calls finish), yielding results in input order, or with <paramref name="ordered"/> false as they
    /// complete. A call's exception is rethrown when its result is reached; stopping the enumeration (or cancelling it)
    /// cancels the calls in flight.
    /// </summary>
    /// <param name="executor">Where the calls run.</param>
    /// <param name="items">The inputs, read lazily.</param>
    /// <param name="function">The call to make for each item; its token fires when the call is cancelled.</param>
    /// <param name="ordered">True (default) to yield in input order; false to yield each result as soon as it is ready.</param>
    /// <param name="maxInFlight">How many calls may be in flight at once; default: the executor's worker count (at least 2).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxInFlight"/> is less than 1.</exception>
    public static IAsyncEnumerable<TResult> MapAsync<T, TResult>(this IExecutor executor, IAsyncEnumerable<T> items, Func<T, CancellationToken, ValueTask<TResult>> function, bool ordered = true, int? maxInFlight = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(function);
        return AsyncMap(executor, items, (item, ct) => function(item, ct).AsTask(), ordered, CheckInFlight(executor, maxInFlight), default);
    }

    /// <summary>
    /// Runs the asynchronous <paramref name="function"/> over <paramref name="items"/> on the executor and yields the
    /// awaited results in input order (<c>ordered: false</c>: as they complete), with at most
    /// <paramref name="maxInFlight"/> calls in flight. An async lambda binds here, not to the synchronous
    /// <c>MapAsync</c>, so the results are values, never tasks.
    /// </summary>
    /// <inheritdoc cref="MapAsync{T, TResult}(IExecutor, IAsyncEnumerable{T}, Func{T, CancellationToken, ValueTask{TResult}}, bool, int?)"/>
    public static IAsyncEnumerable<TResult> MapAsync<T, TResult>(this IExecutor executor, Func<T, CancellationToken, Task<TResult>> function, IEnumerable<T> items, bool ordered = true, int? maxInFlight = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        return AsyncMap(executor, ToAsync(items), function, ordered, CheckInFlight(executor, maxInFlight), default);
    }

    /// <inheritdoc cref="MapAsync{T, TResult}(IExecutor, Func{T, CancellationToken, Task{TResult}}, IEnumerable{T}, bool, int?)"/>
    public static IAsyncEnumerable<TResult> MapAsync<T, TResult>(this IExecutor executor, Func<T, Task<TResult>> function, IEnumerable<T> items, bool ordered = true, int? maxInFlight = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return executor.MapAsync((T item, CancellationToken _) => function(item), items, ordered, maxInFlight);
    }

    private static async IAsyncEnumerable<TResult> AsyncMap<T, TResult>(IExecutor executor, IAsyncEnumerable<T> items, Func<T, CancellationToken, Task<TResult>> function, bool ordered, int maxInFlight, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IExecutor target = cancellationToken.CanBeCanceled ? executor.WithCancellation(cancellationToken) : executor;
        var inFlight = new Queue<Future<TResult>>(); // ordered: in input order
        var unfinished = new HashSet<Future<TResult>>(); // unordered: what to cancel if the enumeration stops early
        Channel<Future<TResult>>? completed = ordered ? null : Channel.CreateUnbounded<Future<TResult>>(new UnboundedChannelOptions { SingleReader = true });
        int running = 0;
        IAsyncEnumerator<T> source = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            bool more = true;
            while (true)
            {
                while (more && running < maxInFlight && (more = await source.MoveNextAsync().ConfigureAwait(false)))
                {
                    T item = source.Current;
                    Future<TResult> call = target.Submit(ct => function(item, ct));
                    running++;
                    if (completed is null)
                    {
                        inFlight.Enqueue(call);
                    }
                    else
                    {
                        unfinished.Add(call);
                        call.OnDone(done => completed.Writer.TryWrite(done));
                    }
                }

                if (running == 0)
                {
                    yield break;
                }

                Future<TResult> next = completed is null ? inFlight.Dequeue() : await completed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                unfinished.Remove(next);
                TResult result = await next.ConfigureAwait(false);
                running--;
                yield return result;
            }
        }
        finally
        {
            // Stopped early (a break, an exception, cancellation): what is still in flight is not wanted.
            while (inFlight.TryDequeue(out Future<TResult>? abandoned))
            {
                abandoned.Cancel();
            }

            foreach (Future<TResult> abandoned in unfinished)
            {
                abandoned.Cancel();
            }

            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static int CheckInFlight(IExecutor executor, int? maxInFlight) => maxInFlight switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(maxInFlight), maxInFlight, "maxInFlight must be at least 1, or null for the executor's worker count."),
        int value => value,
        null => Math.Max(2, executor is ThreadPoolExecutor pool ? pool.MaxWorkers : Environment.ProcessorCount),
    };
}
