using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

public static partial class Futures
{
    /// <summary>
    /// Yields each future as it completes (Python's <c>as_completed</c>): those already done first, in input order,
    /// then the rest in completion order. Duplicates are yielded once. Futures already yielded are not referenced any
    /// more, so a long stream of results does not pile up in memory.
    /// </summary>
    /// <typeparam name="TFuture">The future type, kept: a list of <c>Future&lt;int&gt;</c> yields <c>Future&lt;int&gt;</c>s.</typeparam>
    /// <param name="futures">The futures; none may be null. Read once, at this call.</param>
    /// <param name="timeout">The limit for the whole iteration, from this call; when it passes, the enumeration throws <see cref="TimeoutException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public static IEnumerable<TFuture> AsCompleted<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null)
        where TFuture : Future
    {
        var queue = new CompletionQueue<TFuture>(Distinct(futures, nameof(futures)));
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        return Iterate(queue, deadline);

        static IEnumerable<TFuture> Iterate(CompletionQueue<TFuture> queue, Deadline deadline)
        {
            try
            {
                while (queue.Unyielded > 0)
                {
                    if (!queue.TryTake(out TFuture? next))
                    {
                        WorkerHelp.WaitUntil(queue, static q => q.HasCompleted, default, deadline, static (q, ms) => q.Block(ms));
                        if (!queue.TryTake(out next))
                        {
                            throw queue.Timeout();
                        }
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
        var queue = new CompletionQueue<TFuture>(Distinct(futures, nameof(futures)));
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        return Iterate(queue, deadline, default);

        static async IAsyncEnumerable<TFuture> Iterate(CompletionQueue<TFuture> queue, Deadline deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                while (queue.Unyielded > 0)
                {
                    if (!queue.TryTake(out TFuture? next))
                    {
                        if (!await queue.WaitAsync(deadline, cancellationToken).ConfigureAwait(false) || !queue.TryTake(out next))
                        {
                            throw queue.Timeout();
                        }
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

    /// <summary>
    /// Hands out futures once each: first those done at the start (from the input array, cleared as they go), then
    /// pending ones as they complete. Pending futures reference it; it references only completed, unyielded ones.
    /// </summary>
    private sealed class CompletionQueue<TFuture> : IFutureContinuation, IWaitingCall
        where TFuture : Future
    {
        private readonly ConcurrentQueue<TFuture> _completed = new();
        private readonly int _total;
        private TFuture?[]? _doneAtStart; // the input array, done futures compacted to the front
        private int _doneAtStartCount;
        private int _doneAtStartTaken;
        private int _unyielded;
        private readonly ConsumerSignal _signal = new();
        private volatile bool _closed;

        public CompletionQueue(TFuture[] futures)
        {
            _total = futures.Length;
            _unyielded = futures.Length;
            int done = 0;
            for (int i = 0; i < futures.Length; i++)
            {
                TFuture future = futures[i];
                if (future.IsDone)
                {
                    futures[done++] = future;
                }
                else
                {
                    future.AddContinuation(this); // may run at once, if it completed meanwhile
                }
            }

            Array.Clear(futures, done, futures.Length - done);
            _doneAtStart = futures;
            _doneAtStartCount = done;
        }

        public Future? WaitingCall { get; } = ExecutionFrames.Innermost ?? InsideWork.CurrentAsyncCall;

        public int Unyielded => Volatile.Read(ref _unyielded);

        public bool HasCompleted => !_completed.IsEmpty;

        public void OnFutureCompleted(Future future)
        {
            if (_closed)
            {
                return;
            }

            _completed.Enqueue((TFuture)future);
            _signal.Signal(); // published: wake a waiting consumer
        }

        public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TFuture? next)
        {
            if (_doneAtStartTaken < _doneAtStartCount)
            {
                next = _doneAtStart![_doneAtStartTaken]!;
                _doneAtStart[_doneAtStartTaken++] = null;
            }
            else
            {
                _doneAtStart = null;
                if (!_completed.TryDequeue(out next))
                {
                    return false;
                }
            }

            Interlocked.Decrement(ref _unyielded);
            return true;
        }

        public bool Block(int milliseconds) => _signal.Block(this, static q => q.HasCompleted, milliseconds);

        public ValueTask<bool> WaitAsync(Deadline deadline, CancellationToken cancellationToken) =>
            _signal.WaitAsync(this, static q => q.HasCompleted, deadline, cancellationToken);

        public TimeoutException Timeout() => new($"{Unyielded} (of {_total}) futures unfinished.");

        public void Close()
        {
            _closed = true;
            _doneAtStart = null;
            while (_completed.TryDequeue(out _))
            {
            }
        }
    }
}
