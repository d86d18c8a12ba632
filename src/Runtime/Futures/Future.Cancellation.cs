using System;
using System.Threading;

namespace Pipelines;

// Cancelling later: Future.CancelAfter, and the running-call side of timeouts.
public abstract partial class Future
{
    private static readonly TimerCallback s_cancelDue = static state => ((Future)state!).CancelNow();

    /// <summary>
    /// Cancels the future when <paramref name="delay"/> has passed (a timeout): a call that has not started never
    /// runs; a running call gets its <see cref="CancellationToken"/> signalled and the future ends
    /// <see cref="FutureState.Cancelled"/> at once (a process pool also stops the worker running it). Calling it again
    /// restarts the clock. No effect on a future that is already done.
    /// </summary>
    /// <param name="delay">How long from now; <see cref="Timeout.InfiniteTimeSpan"/> stops a clock started earlier.</param>
    /// <returns>This future, so a submit can end with <c>.CancelAfter(…)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative (other than infinite) or too large.</exception>
    public Future CancelAfter(TimeSpan delay)
    {
        if ((delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan) || delay.TotalMilliseconds > int.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must be non-negative, at most Int32.MaxValue - 1 milliseconds, or Timeout.InfiniteTimeSpan.");
        }

        if (IsDone)
        {
            return this;
        }

        ContingentProperties contingent = EnsureContingent();
        Timer? timer = delay == Timeout.InfiniteTimeSpan ? null : new Timer(s_cancelDue, this, Timeout.Infinite, Timeout.Infinite);
        Interlocked.Exchange(ref contingent.CancelTimer, timer)?.Dispose();
        timer?.Change(delay, Timeout.InfiniteTimeSpan);
        if (IsDone)
        {
            // Completion disposes the timers it finds; this one may have come after.
            Interlocked.Exchange(ref contingent.CancelTimer, null)?.Dispose();
        }

        return this;
    }

    /// <summary>Cancels this future (as <see cref="Cancel"/>) when <paramref name="token"/> fires; the registration ends with the future.</summary>
    private protected void CancelWhen(CancellationToken token)
    {
        if (!token.CanBeCanceled)
        {
            return;
        }

        CancellationTokenRegistration registration = token.UnsafeRegister(static state => ((Future)state!).Cancel(), this);
        ContingentProperties contingent = EnsureContingent();
        lock (contingent)
        {
            (contingent.Registrations ??= new()).Add(registration);
        }

        // Added, then look at the state; completion publishes the state, then looks for registrations: one of us sees
        // the other, so a registration never outlives the future (it would keep it alive as long as the token).
        Interlocked.MemoryBarrier();
        if (IsDone)
        {
            contingent.Unregister();
        }
    }

    /// <summary>Cancels a pending future, or signals a running call's token and ends its future Cancelled now.</summary>
    private protected void CancelNow()
    {
        while (true)
        {
            switch (State)
            {
                case FutureState.Pending when Cancel():
                    return;
                case FutureState.Running when TryBeginCompletion(FutureState.Running):
                    // Completion is ours before the token fires: a call that stops at once cannot finish first. The call
                    // may ignore its token; its result, when it comes, is dropped.
                    RequestCancellation();
                    EndCompletion(FutureState.Running, FutureState.Cancelled, null);
                    return;
                case FutureState.Pending or FutureState.Running:
                    Thread.SpinWait(1); // it moved on meanwhile: look again
                    continue;
                default:
                    return;
            }
        }
    }
}
