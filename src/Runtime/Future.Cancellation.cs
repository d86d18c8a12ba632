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

    /// <summary>Cancels a pending future, or signals a running call's token and ends its future Cancelled now.</summary>
    private protected void CancelNow()
    {
        if (Cancel())
        {
            return;
        }

        // Running (or already done): the call may ignore its token; its result, when it comes, is dropped.
        RequestCancellation();
        TryComplete(FutureState.Running, FutureState.Cancelled, null);
    }
}
