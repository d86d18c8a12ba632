using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// Wakes the one consumer of a hand-off (the results of <c>Map</c>, the queue of <c>AsCompleted</c>) when producers
/// publish, blocking or asynchronously.
/// </summary>
/// <remarks>
/// No wake-up is lost: a producer publishes, runs a full fence, then reads the waiting flag; the consumer sets the
/// flag (a full fence), then checks the hand-off once more before it sleeps. Either the producer's read comes after
/// the flag was set, and it signals, or the consumer's check comes after the publish, and it sees the item.
/// </remarks>
internal sealed class ConsumerSignal
{
    private int _consumerWaiting;
    private object? _signal; // ManualResetEventSlim (blocking consumer) | TaskCompletionSource (async consumer)

    /// <summary>Called by a producer after it published: wakes the consumer if it waits.</summary>
    public void Signal()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _consumerWaiting) != 0)
        {
            switch (Volatile.Read(ref _signal))
            {
                case ManualResetEventSlim e:
                    e.Set();
                    break;
                case TaskCompletionSource source:
                    source.TrySetResult();
                    break;
            }
        }
    }

    /// <summary>Blocks until <paramref name="ready"/> or <paramref name="milliseconds"/> pass; returns <paramref name="ready"/> at the end.</summary>
    public bool Block<TState>(TState state, Func<TState, bool> ready, int milliseconds)
    {
        var e = _signal as ManualResetEventSlim ?? (ManualResetEventSlim)(_signal = new ManualResetEventSlim(false));
        e.Reset();
        Interlocked.Exchange(ref _consumerWaiting, 1);
        if (!ready(state))
        {
            e.Wait(milliseconds);
        }

        Volatile.Write(ref _consumerWaiting, 0);
        return ready(state);
    }

    /// <summary>Waits without blocking a thread until signalled or <paramref name="deadline"/> passes; false if it passed and <paramref name="ready"/> is false.</summary>
    public async ValueTask<bool> WaitAsync<TState>(TState state, Func<TState, bool> ready, Deadline deadline, CancellationToken cancellationToken)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _signal, source);
        Interlocked.Exchange(ref _consumerWaiting, 1);
        try
        {
            if (ready(state))
            {
                return true;
            }

            int milliseconds = deadline.RemainingMilliseconds;
            await source.Task.WaitAsync(milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return ready(state);
        }
        finally
        {
            Volatile.Write(ref _consumerWaiting, 0);
        }
    }
}
