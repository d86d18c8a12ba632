using System;
using System.Threading;
using Pipelines.Scheduling;

namespace Pipelines;

// Blocking waits on one future.
public abstract partial class Future
{
    internal bool WaitCore(Deadline deadline)
    {
        if (IsDone)
        {
            return true;
        }

        return WorkerHelp.WaitUntil(this, static f => f.IsDone, new WorkerHelp.Preferred(this), deadline, static (f, ms) => f.BlockUntilDone(ms));
    }

    /// <summary>What <c>await</c> ends with: nothing, or the call's exception, or cancellation.</summary>
    internal void GetResultForAwait()
    {
        if (!IsDone)
        {
            WaitCore(Deadline.Infinite);
        }

        ThrowIfNotSucceeded();
    }

    private protected void WaitOrThrowTimeout(TimeSpan? timeout)
    {
        if (!WaitCore(Deadline.From(timeout, nameof(timeout))))
        {
            throw new TimeoutException($"The future did not complete within {timeout}.");
        }
    }

    /// <summary>Sleeps until done or <paramref name="millisecondsTimeout"/> passes.</summary>
    private bool BlockUntilDone(int millisecondsTimeout)
    {
        ContingentProperties contingent = EnsureContingent();
        ManualResetEventSlim? doneEvent = Volatile.Read(ref contingent.DoneEvent);
        if (doneEvent is null)
        {
            var created = new ManualResetEventSlim(false);
            doneEvent = Interlocked.CompareExchange(ref contingent.DoneEvent, created, null) ?? created;
        }

        // The completer publishes the terminal state, then reads the event; we published the event, then read the
        // state: one of the two always sees the other, so no wake-up is lost.
        if (IsDone)
        {
            return true;
        }

        doneEvent.Wait(millisecondsTimeout);
        return IsDone;
    }
}
