using System;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines;

// Continuations: what runs once when the future completes. Two inline slots serve the common shapes (one dependent;
// a diamond's shared input with two) without allocating; a third continuation grows a list in the second slot.
public abstract partial class Future
{
    // Completing a future runs its continuations, which may complete dependents, whose continuations complete theirs:
    // one more level of nesting per link of an inline chain. Past this depth a completion queues its continuations on
    // the thread, and the outermost completion on the thread runs them, so a chain of any length keeps a bounded stack.
    private const int MaxNestedCompletions = 32;

    private static readonly object s_completed = new(); // the future is done; its continuations ran or are running
    private static readonly object s_removed = new();   // a waiter that gave up; the slot stays taken to keep the order

    [ThreadStatic]
    private static int t_completionDepth;

    [ThreadStatic]
    private static Queue<Future>? t_deferredCompletions;

    private object? _continuation;  // null | continuation | s_removed | s_completed
    private object? _continuation2; // null | continuation | s_removed | ContinuationList | s_completed

    /// <summary>Registers a continuation: an <see cref="IFutureContinuation"/> of the runtime, or a user callback.</summary>
    internal void AddContinuation(object continuation)
    {
        while (true)
        {
            object? first = Volatile.Read(ref _continuation);
            if (first == s_completed || (continuation is IFutureContinuation && IsDone))
            {
                // The runtime's own continuations need only the final state, which is set before any continuation runs:
                // they never queue behind callbacks whose run was deferred (see RunContinuationsOrDefer), which a
                // thread blocked in such a continuation would otherwise wait for forever.
                Invoke(continuation);
                return;
            }

            if (first is null)
            {
                if (Interlocked.CompareExchange(ref _continuation, continuation, null) is null)
                {
                    return;
                }

                continue;
            }

            object? second = Volatile.Read(ref _continuation2);
            if (second == s_completed)
            {
                continue; // RunContinuations took both slots: the first read above will see it
            }

            if (second is null || second == s_removed)
            {
                if (Interlocked.CompareExchange(ref _continuation2, continuation, second) == second)
                {
                    return;
                }

                continue;
            }

            if (second is ContinuationList list)
            {
                lock (list)
                {
                    if (Volatile.Read(ref _continuation2) == list)
                    {
                        list.Add(continuation);
                        return;
                    }
                }

                continue;
            }

            var grown = new ContinuationList { second, continuation };
            if (Interlocked.CompareExchange(ref _continuation2, grown, second) == second)
            {
                return;
            }
        }
    }

    /// <summary>Removes a continuation that is no longer interested (a waiter that gave up), so it is not retained.</summary>
    internal void RemoveContinuation(object continuation)
    {
        if (Interlocked.CompareExchange(ref _continuation, s_removed, continuation) == continuation
            || Interlocked.CompareExchange(ref _continuation2, s_removed, continuation) == continuation)
        {
            return;
        }

        if (Volatile.Read(ref _continuation2) is ContinuationList list)
        {
            lock (list)
            {
                if (Volatile.Read(ref _continuation2) == list)
                {
                    list.Remove(continuation);
                }
            }
        }
    }

    /// <summary>
    /// The pending calls that wait for this future: dependent calls, and calls blocked or awaiting on it. A shutdown
    /// from inside this future's call must not wait for them.
    /// </summary>
    internal List<Future> PendingDependents()
    {
        var dependents = new List<Future>();
        void Add(object? continuation)
        {
            Future? waiting = continuation switch
            {
                IWorkItem item => item.Future,
                IWaitingCall waiter => waiter.WaitingCall,
                _ => null,
            };
            if (waiting is { IsDone: false })
            {
                dependents.Add(waiting);
            }
        }

        Add(Volatile.Read(ref _continuation));
        object? second = Volatile.Read(ref _continuation2);
        if (second is ContinuationList list)
        {
            lock (list)
            {
                list.ForEach(Add);
            }
        }
        else
        {
            Add(second);
        }

        return dependents;
    }

    /// <summary>Runs the continuations now, or queues them when this thread is already deep in nested completions.</summary>
    private void RunContinuationsOrDefer()
    {
        // Most futures of a fan-out have nothing registered when they complete: close the first slot and skip the rest.
        // The second slot is then empty too, and stays so: an adder takes it only after seeing the first slot taken,
        // and a taken first slot never empties again (a removed continuation leaves s_removed). Adders from now on see
        // s_completed and run their continuation themselves.
        if (Volatile.Read(ref _continuation) is null && Interlocked.CompareExchange(ref _continuation, s_completed, null) is null)
        {
            _executor?.OnWorkCompleted();
            return;
        }

        if (t_completionDepth >= MaxNestedCompletions)
        {
            (t_deferredCompletions ??= new Queue<Future>()).Enqueue(this);
            return;
        }

        t_completionDepth++;
        try
        {
            RunContinuations();
        }
        finally
        {
            if (t_completionDepth == 1)
            {
                RunDeferredCompletions();
            }

            t_completionDepth--;
        }
    }

    /// <summary>Runs the continuations this thread deferred. Called by the outermost completion, and by a thread about to block.</summary>
    internal static void RunDeferredCompletions()
    {
        // They may defer more; the queue drains in order.
        while (t_deferredCompletions is { } deferred && deferred.TryDequeue(out Future? next))
        {
            next.RunContinuations();
        }
    }

    private void RunContinuations()
    {
        object? first = Interlocked.Exchange(ref _continuation, s_completed);
        object? second = Interlocked.Exchange(ref _continuation2, s_completed);
        if (second is ContinuationList list)
        {
            // Wait for an adder that holds the list's lock to finish; after this no one can add.
            lock (list)
            {
            }
        }

        ExecutionFrames.Push(this);
        try
        {
            // The runtime's continuations first (dependents are queued, waiters woken), then user callbacks in the order
            // they were added: a dependent never waits behind user code, and user code that shuts the executor down
            // from a callback finds every dependent already queued.
            bool userCallbacks = InvokeInternal(first) | InvokeInternal(second);
            if (userCallbacks)
            {
                ThreadPoolExecutor.BeforeUserCode();
                InvokeUser(first);
                InvokeUser(second);
            }
        }
        finally
        {
            ExecutionFrames.Pop();
        }

        _executor?.OnWorkCompleted();
    }

    /// <summary>Invokes the runtime continuations in <paramref name="slot"/>; true if it also holds user callbacks.</summary>
    private bool InvokeInternal(object? slot)
    {
        switch (slot)
        {
            case null:
                return false;
            case IFutureContinuation continuation:
                Invoke(continuation);
                return false;
            case ContinuationList list:
                bool user = false;
                foreach (object item in list)
                {
                    if (item is IFutureContinuation continuation)
                    {
                        Invoke(continuation);
                    }
                    else
                    {
                        user |= item != s_removed;
                    }
                }

                return user;
            default:
                return slot != s_removed && slot != s_completed;
        }
    }

    private void InvokeUser(object? slot)
    {
        if (slot is ContinuationList list)
        {
            foreach (object item in list)
            {
                InvokeUser(item);
            }
        }
        else if (slot is not (null or IFutureContinuation) && slot != s_removed && slot != s_completed)
        {
            Invoke(slot);
        }
    }

    private void Invoke(object continuation)
    {
        try
        {
            switch (continuation)
            {
                case IFutureContinuation internalContinuation:
                    internalContinuation.OnFutureCompleted(this);
                    break;
                case Action<Future> callback:
                    callback(this);
                    break;
                default:
                    InvokeTypedCallback(continuation);
                    break;
            }
        }
        catch (Exception ex)
        {
            CallbackFailures.Report(this, ex);
        }
    }

    private protected virtual void InvokeTypedCallback(object callback) =>
        throw new InvalidOperationException($"Unknown continuation {callback.GetType()}.");

    /// <summary>The third and later continuations, in registration order.</summary>
    private sealed class ContinuationList : List<object>
    {
        public ContinuationList()
            : base(4)
        {
        }
    }
}
