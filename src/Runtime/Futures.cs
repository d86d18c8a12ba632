using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

/// <summary>Waiting on many futures at once (Python's <c>wait</c> and <c>as_completed</c>), and combining them.</summary>
/// <remarks>
/// Both waits are linear in the number of futures and allocate nothing per future that is already done: one shared
/// waiter is registered on the pending futures only.
/// </remarks>
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
    /// <returns>
    /// The futures that are done, and those that are not, each in input order. When every future is already done, the
    /// wait is one pass over them, as <c>Task.WaitAll</c> is: the Done list removes duplicates when it is first read.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not defined, or <paramref name="timeout"/> is negative.</exception>
    public static (IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> NotDone) Wait<TFuture>(IEnumerable<TFuture> futures, ReturnWhen returnWhen = ReturnWhen.AllCompleted, TimeSpan? timeout = null)
        where TFuture : Future
    {
        WaitCondition? waiter = BeginWait(futures, returnWhen, timeout, out TFuture[] items, out IReadOnlyList<TFuture>? allDone, out Deadline deadline);
        if (allDone is not null)
        {
            return (allDone, Array.Empty<TFuture>()); // done futures stay done: no second look
        }

        if (waiter is not null)
        {
            try
            {
                WorkerHelp.WaitUntil(waiter, static w => w.IsSatisfied, new WorkerHelp.Preferred(items), deadline, static (w, ms) => w.Block(ms));
            }
            finally
            {
                waiter.Unregister(items);
            }
        }

        return Split(items);
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
        WaitCondition? waiter = BeginWait(futures, returnWhen, timeout, out TFuture[] items, out IReadOnlyList<TFuture>? allDone, out Deadline deadline);
        if (allDone is not null)
        {
            return (allDone, Array.Empty<TFuture>());
        }

        if (waiter is not null)
        {
            try
            {
                // Task.WaitAsync disposes its timer and token registration as soon as the wait ends, either way.
                int milliseconds = deadline.RemainingMilliseconds;
                await waiter.Satisfied.WaitAsync(milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The split says what finished in time.
            }
            finally
            {
                waiter.Unregister(items);
            }
        }

        return Split(items);
    }

    /// <summary>
    /// Checks the arguments of <see cref="Wait{TFuture}"/> and <see cref="WaitAsync{TFuture}"/>. When every future is
    /// already done, <paramref name="allDone"/> is the Done list (it removes duplicates if it is ever read: no condition
    /// needs them removed) and nothing else is set. Otherwise <paramref name="items"/> holds the distinct futures, and
    /// the result is null when <paramref name="returnWhen"/> already holds, else a condition registered on every
    /// pending future (unregister it).
    /// </summary>
    private static WaitCondition? BeginWait<TFuture>(IEnumerable<TFuture> futures, ReturnWhen returnWhen, TimeSpan? timeout, out TFuture[] items, out IReadOnlyList<TFuture>? allDone, out Deadline deadline)
        where TFuture : Future
    {
        CheckReturnWhen(returnWhen);
        deadline = Deadline.From(timeout, nameof(timeout));
        var snapshot = FutureSnapshot<TFuture>.Take(futures, nameof(futures), chunked: true);

        // Repeats count once per occurrence here; each condition below holds or fails the same either way.
        if (snapshot.Done == snapshot.Count)
        {
            items = [];
            allDone = new DistinctOnRead<TFuture>(snapshot);
            return null;
        }

        allDone = null;
        items = IdentitySet.Distinct(snapshot.ToArray());
        if ((returnWhen == ReturnWhen.FirstCompleted && snapshot.Done > 0) || (returnWhen == ReturnWhen.FirstException && snapshot.Faulted > 0))
        {
            return null;
        }

        var waiter = new WaitCondition(returnWhen);
        waiter.Register(items);
        return waiter;
    }

    /// <summary>The futures as an array of distinct futures, in first-seen order; one allocation, none per future.</summary>
    private static TFuture[] Distinct<TFuture>(IEnumerable<TFuture> futures, string paramName)
        where TFuture : Future =>
        IdentitySet.Distinct(FutureSnapshot<TFuture>.Take(futures, paramName, chunked: false).ToArray());

    private static void CheckReturnWhen(ReturnWhen returnWhen)
    {
        if (returnWhen is not (ReturnWhen.FirstCompleted or ReturnWhen.FirstException or ReturnWhen.AllCompleted))
        {
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, "Not a ReturnWhen value.");
        }
    }

    private static (IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> NotDone) Split<TFuture>(TFuture[] items)
        where TFuture : Future
    {
        int done = 0;
        foreach (TFuture future in items)
        {
            if (future.IsDone)
            {
                done++;
            }
        }

        if (done == items.Length)
        {
            return (items, Array.Empty<TFuture>());
        }

        var doneList = new List<TFuture>(done);
        var notDone = new List<TFuture>(items.Length - done);
        foreach (TFuture future in items)
        {
            (future.IsDone ? doneList : notDone).Add(future);
        }

        return (doneList, notDone);
    }

    /// <summary>Counts completions of the pending futures being waited on and fires once <see cref="ReturnWhen"/> holds.</summary>
    private sealed class WaitCondition(ReturnWhen returnWhen) : IFutureContinuation, IWaitingCall
    {
        private readonly TaskCompletionSource _satisfied = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ManualResetEventSlim? _event; // created by the first thread that blocks
        private int _remaining = 1;           // held during registration so an early completion cannot fire AllCompleted

        public Future? WaitingCall { get; } = ExecutionFrames.Innermost ?? InsideWork.CurrentAsyncCall;

        public bool IsSatisfied => _satisfied.Task.IsCompleted;

        public Task Satisfied => _satisfied.Task;

        public void Register(Future[] futures)
        {
            foreach (Future future in futures)
            {
                if (!future.IsDone)
                {
                    Interlocked.Increment(ref _remaining);
                    future.AddContinuation(this);
                }
            }

            Count(null);
        }

        public void Unregister(Future[] futures)
        {
            if (Volatile.Read(ref _remaining) == 0)
            {
                return; // every registration fired: nothing is left to remove
            }

            foreach (Future future in futures)
            {
                if (!future.IsDone)
                {
                    future.RemoveContinuation(this);
                }
            }
        }

        public bool Block(int milliseconds)
        {
            ManualResetEventSlim? e = Volatile.Read(ref _event);
            if (e is null)
            {
                var created = new ManualResetEventSlim(false);
                e = Interlocked.CompareExchange(ref _event, created, null) ?? created;
            }

            // Count completes the task, then reads the event; we published the event, then read the task.
            if (!IsSatisfied)
            {
                e.Wait(milliseconds);
            }

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
                Volatile.Read(ref _event)?.Set();
            }
        }
    }
}
