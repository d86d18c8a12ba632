using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// The one retry policy for grain calls that fail in transit, used by the client (sends, reads, cancels, the view watch)
/// and by the silos (reads of a dependent's arguments). A loop keeps one of these as a local, asks
/// <see cref="IsTransient(Exception)"/> in its <c>catch</c> filter, and <see cref="PauseAsync"/>s before it tries again.
/// </summary>
/// <remarks>
/// <para><b>Transient</b>: what <see cref="ClusterFaults.Classify"/> calls a messaging failure, delivered or not: a silo
/// unavailable (known dead, or died with the request outstanding), a message rejected, a gateway too busy, a response
/// timeout, any other <c>OrleansException</c> (a connection that failed). Not transient: the local client or silo
/// shutting down, cancellation, and every other exception (a bug in the call): those end the loop.</para>
/// <para><b>Backoff</b>: <see cref="FirstDelay"/> (20 ms), doubling after each pause up to <see cref="MaxDelay"/> (1 s);
/// <see cref="Reset"/> after an attempt that got an answer starts again at 20 ms.</para>
/// <para><b>Giving up</b>: never by itself. Each loop bounds its tries by what its caller can wait for: a number of
/// attempts (<see cref="RunAsync"/>: a cancel, a silo's capacity), a deadline since it last got an answer
/// (<see cref="FailingFor"/>: a reference read), a delivery timeout, its silo leaving, or its cancellation token.</para>
/// </remarks>
internal struct TransientRetry
{
    /// <summary>The pause before the first retry.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private TimeSpan _next;      // zero until the first pause: then FirstDelay
    private long _failingSince;  // Stopwatch timestamp of the first failure since the last answer; 0 while none

    /// <summary>Whether <paramref name="exception"/> is a messaging failure worth trying again (see the remarks).</summary>
    public static bool IsTransient(Exception exception) => IsTransient(exception, out _);

    /// <summary>Whether <paramref name="exception"/> is a messaging failure worth trying again, and what it says about delivery.</summary>
    public static bool IsTransient(Exception exception, out DeliveryFault fault)
    {
        fault = ClusterFaults.Classify(exception);
        return fault != DeliveryFault.NotTransient;
    }

    /// <summary>How long the attempts have been failing since the last <see cref="Reset"/>; zero while none has failed.</summary>
    public readonly TimeSpan FailingFor => _failingSince == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_failingSince);

    /// <summary>Waits out the pause before the next attempt (then doubles it for the one after).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired during the pause.</exception>
    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        // Not async: the doubling happens on the caller's copy (an async method on a struct would change a copy).
        TimeSpan delay = _next == TimeSpan.Zero ? FirstDelay : _next;
        _next = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        if (_failingSince == 0)
        {
            _failingSince = Stopwatch.GetTimestamp();
        }

        return Task.Delay(delay, cancellationToken);
    }

    /// <summary>An attempt got an answer: the next failure pauses <see cref="FirstDelay"/> again and starts <see cref="FailingFor"/> anew.</summary>
    public void Reset() => this = default;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it completes, at most <paramref name="maxAttempts"/> times and while
    /// <paramref name="keepTrying"/> holds, pausing after each transient failure (and after an attempt cut short by an
    /// <see cref="OperationCanceledException"/> when <paramref name="retryCancelled"/>: its silo left, or a gateway
    /// connection dropped). A failure that is not transient goes to <paramref name="onFailure"/> and ends the tries.
    /// </summary>
    /// <returns>Whether an attempt completed.</returns>
    public static async Task<bool> RunAsync(
        Func<Task> attempt, int maxAttempts, Action<Exception>? onRetry, Action<Exception> onFailure,
        Func<bool>? keepTrying = null, bool retryCancelled = false)
    {
        var retry = default(TransientRetry);
        for (int tries = 0; tries < maxAttempts && (keepTrying?.Invoke() ?? true); tries++)
        {
            try
            {
                await attempt().ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (IsTransient(ex) || (retryCancelled && ex is OperationCanceledException))
            {
                onRetry?.Invoke(ex);
                await retry.PauseAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                onFailure(ex);
                return false;
            }
        }

        return false;
    }
}
