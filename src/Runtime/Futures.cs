using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>Waiting on many futures at once (Python's <c>wait</c> and <c>as_completed</c>).</summary>
public static partial class Futures
{
    /// <summary>
    /// Blocks until the futures meet <paramref name="returnWhen"/> or the timeout passes (Python's <c>wait</c>).
    /// Duplicates count once. On a worker of a pool, the worker runs queued work while it waits.
    /// </summary>
    /// <typeparam name="TFuture">The future type, kept in the result: a list of <c>Future&lt;int&gt;</c> gives back <c>Future&lt;int&gt;</c>s.</typeparam>
    /// <param name="futures">The futures to wait for; none may be null.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <param name="timeout">How long to wait; null waits forever. On timeout the split is returned, not thrown.</param>
    /// <returns>The futures that are done, and those that are not, each in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not defined, or <paramref name="timeout"/> is negative.</exception>
    public static (IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> NotDone) Wait<TFuture>(IEnumerable<TFuture> futures, ReturnWhen returnWhen = ReturnWhen.AllCompleted, TimeSpan? timeout = null)
        where TFuture : Future
    {
        List<TFuture> distinct = Distinct(futures, nameof(futures));
        CheckReturnWhen(returnWhen);
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        var waiter = new WaitCondition(returnWhen);
        waiter.Register(distinct);
        try
        {
            WorkerHelp.WaitUntil(waiter, static w => w.IsSatisfied, null, deadline, static (w, ms) => w.Block(ms));
        }
        finally
        {
            waiter.Unregister(distinct);
        }

        return Split(distinct);
    }

    /// <summary>The asynchronous <see cref="Wait{TFuture}(IEnumerable{TFuture}, ReturnWhen, TimeSpan?)"/>: no thread blocks.</summary>
    /// <inheritdoc cref="Wait{TFuture}(IEnumerable{TFuture}, ReturnWhen, TimeSpan?)"/>
    /// <param name="futures">The futures to wait for; none may be null.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <param name="timeout">How long to wait; null waits forever. On timeout the split is returned, not thrown.</param>
    /// <param name="cancellationToken">Stops the wait (not the futures) with an <see cref="OperationCanceledException"/>.</param>
    public static async Task<(IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> NotDone)> WaitAsync<TFuture>(IEnumerable<TFuture> futures, ReturnWhen returnWhen = ReturnWhen.AllCompleted, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        List<TFuture> distinct = Distinct(futures, nameof(futures));
        CheckReturnWhen(returnWhen);
        int milliseconds = Deadline.From(timeout, nameof(timeout)).RemainingMilliseconds;
        var waiter = new WaitCondition(returnWhen);
        waiter.Register(distinct);
        try
        {
            Task satisfied = waiter.Satisfied;
            if (!satisfied.IsCompleted)
            {
                await Task.WhenAny(satisfied, Task.Delay(milliseconds, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            waiter.Unregister(distinct);
        }

        return Split(distinct);
    }

    private static List<TFuture> Distinct<TFuture>(IEnumerable<TFuture> futures, string paramName)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures, paramName);
        var seen = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        var distinct = new List<TFuture>();
        foreach (TFuture future in futures)
        {
            if (future is null)
            {
                throw new ArgumentNullException(paramName, "The sequence contains a null future.");
            }

            if (seen.Add(future))
            {
                distinct.Add(future);
            }
        }

        return distinct;
    }

    private static void CheckReturnWhen(ReturnWhen returnWhen)
    {
        if (!Enum.IsDefined(returnWhen))
        {
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, "Not a ReturnWhen value.");
        }
    }

    private static (IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> NotDone) Split<TFuture>(List<TFuture> futures)
        where TFuture : Future
    {
        var done = new List<TFuture>();
        var notDone = new List<TFuture>();
        foreach (TFuture future in futures)
        {
            (future.IsDone ? done : notDone).Add(future);
        }

        return (done, notDone);
    }

    /// <summary>Counts completions of the futures being waited on and fires once <see cref="ReturnWhen"/> holds.</summary>
    private sealed class WaitCondition(ReturnWhen returnWhen) : IFutureContinuation
    {
        private readonly TaskCompletionSource _satisfied = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _event = new(false);
        private int _remaining = 1; // held during registration so an early completion cannot fire AllCompleted

        public bool IsSatisfied => _satisfied.Task.IsCompleted;

        public Task Satisfied => _satisfied.Task;

        public void Register<TFuture>(List<TFuture> futures)
            where TFuture : Future
        {
            Interlocked.Add(ref _remaining, futures.Count);
            foreach (TFuture future in futures)
            {
                future.AddContinuation(this);
            }

            Count(null);
        }

        public void Unregister<TFuture>(List<TFuture> futures)
            where TFuture : Future
        {
            foreach (TFuture future in futures)
            {
                if (!future.IsDone)
                {
                    future.RemoveContinuation(this);
                }
            }
        }

        public bool Block(int milliseconds)
        {
            _event.Wait(milliseconds);
            return IsSatisfied;
        }

        public void OnFutureCompleted(Future future) => Count(future);

        private void Count(Future? completed)
        {
            bool all = Interlocked.Decrement(ref _remaining) == 0;
            bool fire = all
                || (completed is not null && returnWhen == ReturnWhen.FirstCompleted)
                || (completed is not null && returnWhen == ReturnWhen.FirstException && completed.State == FutureState.Faulted);
            if (fire && _satisfied.TrySetResult())
            {
                _event.Set();
            }
        }
    }
}
