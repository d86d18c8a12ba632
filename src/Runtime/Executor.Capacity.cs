using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

// Backpressure: a bounded executor admits at most a fixed number of unfinished calls; a submit beyond it waits for
// room instead of letting the queue grow. Calls submitted from inside the executor's own work are admitted anyway:
// waiting there could wait for the very call that is waiting.
public abstract partial class Executor
{
    private readonly object _capacityLock = new();
    private int _capacityLimit = int.MaxValue; // unfinished calls admitted before submits wait
    private int _capacityWaiters;
    private TaskCompletionSource? _room;

    /// <summary>Bounds the unfinished calls (set once, by a bounded executor's constructor, before any submit).</summary>
    private protected void SetCapacity(int limit)
    {
        _capacityLimit = limit;

        // Every submit compares the count with the limit, so it must be exact while calls come and go: one stripe.
        _outstanding = new StripedCounter(1);
    }

    /// <summary>True when a submit now would not wait for room.</summary>
    private protected bool HasRoom => _outstanding.Sum() < _capacityLimit;

    /// <summary>Completes when the executor has room for another call (at once if unbounded or not full).</summary>
    private protected async ValueTask WaitForRoomAsyncCore(CancellationToken cancellationToken)
    {
        while (!HasRoom)
        {
            Task room;
            lock (_capacityLock)
            {
                Interlocked.Increment(ref _capacityWaiters);
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            try
            {
                if (!HasRoom)
                {
                    await room.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _capacityWaiters);
            }
        }
    }

    /// <summary>Waits (blocking) for room before a call is counted, unless the caller is inside this executor's work.</summary>
    private void WaitForRoom()
    {
        if (HasRoom || PoolWorker.Current?.Pool == this || ExecutionFrames.Of(this).Count > 0)
        {
            return;
        }

        lock (_capacityLock)
        {
            // Counted as waiting, then look; OnWorkCompleted decrements, then looks for waiters: one sees the other.
            Interlocked.Increment(ref _capacityWaiters);
            try
            {
                while (!HasRoom && !IsShutdown)
                {
                    Monitor.Wait(_capacityLock);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _capacityWaiters);
            }
        }
    }

    /// <summary>A call finished (or shutdown began): wake submitters waiting for room.</summary>
    private void SignalRoom()
    {
        if (Volatile.Read(ref _capacityWaiters) == 0)
        {
            return;
        }

        TaskCompletionSource? room;
        lock (_capacityLock)
        {
            Monitor.PulseAll(_capacityLock);
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }
}
