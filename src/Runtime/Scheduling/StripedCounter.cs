using System;
using System.Numerics;
using System.Threading;

namespace Pipelines.Scheduling;

/// <summary>
/// A count that many threads change on every call and that is read rarely: each thread adds to and subtracts from a
/// stripe of its own (a <see cref="PaddedCounter"/>), so a submitting thread and the workers finishing its calls do not
/// take one cache line from each other on every call; a read sums the stripes.
/// </summary>
/// <remarks>
/// <para>A stripe is chosen per thread, not per call: a call counted on the submitter's stripe is uncounted on the
/// worker's, so one stripe may go negative while the sum is right. A thread keeps its stripe for its lifetime (the
/// n-th thread to touch any counter takes stripe n mod the stripe count), so a thread that adds and then subtracts,
/// as a refused submit does, leaves its stripe as it found it.</para>
/// <para>A sum read while other threads change the stripes is not a snapshot: an add after its stripe was read and a
/// subtract on a stripe read later make it too small. <see cref="Executor"/> reads it where that cannot happen — after
/// shutdown began, when every add that follows is a refused submit undone on the same stripe — or where a stale value
/// does no harm (metrics, progress). A bounded executor needs an exact count on every submit: it uses one stripe.</para>
/// </remarks>
internal sealed class StripedCounter
{
    [ThreadStatic]
    private static int t_threadNumber; // 0: this thread has not touched a counter yet
    private static int s_threads;

    private readonly PaddedCounter[] _stripes;
    private readonly int _mask;

    /// <summary>A counter of <paramref name="stripes"/> stripes, rounded up to a power of two.</summary>
    public StripedCounter(int stripes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripes, 1);
        _stripes = new PaddedCounter[BitOperations.RoundUpToPowerOf2((uint)stripes)];
        _mask = _stripes.Length - 1;
    }

    /// <summary>Stripes for an unbounded executor: two per core (the submitters and the workers), at most 64.</summary>
    public static int DefaultStripes => Math.Min(64, 2 * Environment.ProcessorCount);

    /// <summary>Adds one on the calling thread's stripe (a full fence, as <see cref="Interlocked"/> is).</summary>
    public void Increment() => Interlocked.Increment(ref _stripes[ThreadNumber & _mask].Value);

    /// <summary>Subtracts one on the calling thread's stripe (a full fence, as <see cref="Interlocked"/> is).</summary>
    public void Decrement() => Interlocked.Decrement(ref _stripes[ThreadNumber & _mask].Value);

    /// <summary>The sum of the stripes; see the remarks for when it is exact.</summary>
    public int Sum()
    {
        int sum = 0;
        PaddedCounter[] stripes = _stripes;
        for (int i = 0; i < stripes.Length; i++)
        {
            sum += Volatile.Read(ref stripes[i].Value);
        }

        return sum;
    }

    private static int ThreadNumber
    {
        get
        {
            int number = t_threadNumber;
            return number != 0 ? number : TakeThreadNumber();
        }
    }

    private static int TakeThreadNumber()
    {
        // Skips 0 (the "not yet" value) when the process has seen 2^32 threads.
        int number;
        do
        {
            number = Interlocked.Increment(ref s_threads);
        }
        while (number == 0);

        t_threadNumber = number;
        return number;
    }
}
