using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

public static partial class Futures
{
    /// <summary>
    /// Yields each future as it completes (Python's <c>as_completed</c>): those already done first, then the rest
    /// in completion order. Duplicates are yielded once. Futures already yielded are not referenced any more, so a
    /// long stream of results does not pile up in memory.
    /// </summary>
    /// <typeparam name="TFuture">The future type, kept: a list of <c>Future&lt;int&gt;</c> yields <c>Future&lt;int&gt;</c>s.</typeparam>
    /// <param name="futures">The futures; none may be null. Read once, at this call.</param>
    /// <param name="timeout">The limit for the whole iteration, from this call; when it passes, the enumeration throws <see cref="TimeoutException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public static IEnumerable<TFuture> AsCompleted<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null)
        where TFuture : Future
    {
        List<TFuture> distinct = Distinct(futures, nameof(futures));
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        return Iterate(new CompletionQueue<TFuture>(distinct), distinct.Count, deadline);

        static IEnumerable<TFuture> Iterate(CompletionQueue<TFuture> queue, int total, Deadline deadline)
        {
            try
            {
                while (queue.Unyielded > 0)
                {
                    WorkerHelp.WaitUntil(queue, static q => q.HasCompleted, null, deadline, static (q, ms) => q.Block(ms));
                    if (!queue.TryTake(countTaken: false, out TFuture? next))
                    {
                        throw queue.Timeout(total);
                    }

                    yield return next;
                }
            }
            finally
            {
                queue.Close();
            }
        }
    }

    /// <summary>The asynchronous <see cref="AsCompleted{TFuture}(IEnumerable{TFuture}, TimeSpan?)"/>: no thread blocks while waiting.</summary>
    /// <inheritdoc cref="AsCompleted{TFuture}(IEnumerable{TFuture}, TimeSpan?)"/>
    public static IAsyncEnumerable<TFuture> AsCompletedAsync<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null)
        where TFuture : Future
    {
        List<TFuture> distinct = Distinct(futures, nameof(futures));
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        return Iterate(new CompletionQueue<TFuture>(distinct), distinct.Count, deadline, default);

        static async IAsyncEnumerable<TFuture> Iterate(CompletionQueue<TFuture> queue, int total, Deadline deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                while (queue.Unyielded > 0)
                {
                    if (!await queue.WaitAsync(deadline.RemainingMilliseconds, cancellationToken).ConfigureAwait(false)
                        || !queue.TryTake(countTaken: true, out TFuture? next))
                    {
                        throw queue.Timeout(total);
                    }

                    yield return next;
                }
            }
            finally
            {
                queue.Close();
            }
        }
    }

    /// <summary>Receives completions and hands them out once each. Pending futures reference it; it references only completed, unyielded ones.</summary>
    private sealed class CompletionQueue<TFuture> : IFutureContinuation
        where TFuture : Future
    {
        private readonly ConcurrentQueue<TFuture> _completed = new();
        private readonly SemaphoreSlim _available = new(0);
        private int _unyielded;
        private volatile bool _closed;

        public CompletionQueue(List<TFuture> futures)
        {
            _unyielded = futures.Count;
            foreach (TFuture future in futures)
            {
                future.AddContinuation(this);
            }
        }

        public int Unyielded => Volatile.Read(ref _unyielded);

        public bool HasCompleted => _available.CurrentCount > 0;

        public void OnFutureCompleted(Future future)
        {
            if (!_closed)
            {
                _completed.Enqueue((TFuture)future);
                _available.Release();
            }
        }

        public bool Block(int milliseconds)
        {
            if (_available.Wait(milliseconds))
            {
                _available.Release(); // only peeking: TryTake consumes
            }

            return HasCompleted;
        }

        public Task<bool> WaitAsync(int milliseconds, CancellationToken cancellationToken) => _available.WaitAsync(milliseconds, cancellationToken);

        /// <summary>
        /// Takes one completed future. Each one is counted once in the semaphore, after it is queued;
        /// <c>countTaken</c> says an awaited <see cref="WaitAsync"/> already took its count.
        /// </summary>
        public bool TryTake(bool countTaken, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TFuture? next)
        {
            if (!countTaken && !_available.Wait(0))
            {
                next = null;
                return false;
            }

            // The count is released after the enqueue, so a taken count always has a future behind it.
            _completed.TryDequeue(out next);
            Interlocked.Decrement(ref _unyielded);
            return next is not null;
        }

        public TimeoutException Timeout(int total) => new($"{Unyielded} (of {total}) futures unfinished.");

        public void Close()
        {
            _closed = true;
            while (_completed.TryDequeue(out _))
            {
            }
        }
    }
}
