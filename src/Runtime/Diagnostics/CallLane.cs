using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Pipelines.Diagnostics;

/// <summary>
/// One thread's counts for the monitor: per method, how many calls it submitted and how many it completed, by outcome;
/// per pair of methods, how many argument edges it registered. Only the owning thread writes, with plain increments (no
/// interlocked operation, no shared cache line); the monitor's sampler sums every lane a few times a second.
/// </summary>
/// <remarks>
/// <para>Reads from other threads race with the owner's increments and may be a moment old: counts only grow, so a sum
/// is never more than the calls in flight behind, and once the calls are done and their completion has been observed
/// (a future's completion orders the count before it) the sums are exact.</para>
/// <para>The arrays grow when a new method or edge appears: the owner copies, then publishes the larger array; a reader
/// holding the old one reads values that are at most that moment old.</para>
/// </remarks>
internal sealed class CallLane
{
    /// <summary>Counters per method, at <c>slot * Stride + counter</c>.</summary>
    public const int Stride = 8;
    public const int Submitted = 0;
    public const int Succeeded = 1;
    public const int FaultedRan = 2;
    public const int FaultedNotRun = 3;
    public const int CancelledRan = 4;
    public const int CancelledNotRun = 5;

    [ThreadStatic]
    private static CallLane? t_current;

    private static readonly object s_gate = new();
    private static CallLane[] s_all = [];

    private long[] _counts = new long[16 * Stride];
    private long[] _edges = new long[16];

    // A small cache of the call types last seen here: a call's type is compared by reference, most recent first.
    private Type? _type0;
    private Type? _type1;
    private Type? _type2;
    private Type? _type3;
    private CallType? _entry0;
    private CallType? _entry1;
    private CallType? _entry2;
    private CallType? _entry3;

    private Delegate? _delegate;
    private MethodSlot? _delegateSlot;
    private int _edgeFrom = -1;
    private int _edgeTo = -1;
    private int _edgeIndex;

    private CallLane()
    {
        Thread = Thread.CurrentThread;
        Frames = ExecutionFrames.ForCurrentThread();
        Frames.Lane = this;
        CreatedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>The current thread's lane, made and registered on first use.</summary>
    public static CallLane Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current ?? Create();
    }

    /// <summary>Every lane made so far (lanes of threads that ended are dropped by <see cref="LaneTotals.RetireEnded"/>).</summary>
    public static CallLane[] All => Volatile.Read(ref s_all);

    /// <summary>When the lane was made (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long CreatedAt { get; }

    /// <summary>The thread this lane counts for.</summary>
    public Thread Thread { get; }

    /// <summary>What the thread is running now, for the sampler.</summary>
    public ExecutionFrames Frames { get; }

    /// <summary>The executor of the last call this thread submitted: a new one is registered with the monitor.</summary>
    public Executor? LastExecutor { get; set; }

    /// <summary>True if <see cref="LastExecutor"/> runs its calls elsewhere (a <see cref="Remoting.RemoteExecutor"/>).</summary>
    public bool LastExecutorIsRemote { get; set; }

    /// <summary>The counters, for a reader: <c>slot * Stride + counter</c>; may be shorter than the slots.</summary>
    public long[] Counts => Volatile.Read(ref _counts);

    /// <summary>The edge counters, for a reader, by <see cref="MethodEdges"/> index.</summary>
    public long[] Edges => Volatile.Read(ref _edges);

    /// <summary>The type of the calls this thread submitted last, when their submits take the fast path (a local, synchronous, generated call).</summary>
    public Type? SubmitType { get; set; }

    /// <summary>The executor of those calls.</summary>
    public Executor? SubmitExecutor { get; set; }

    /// <summary>Where their submitted count is in <see cref="Counts"/>.</summary>
    public int SubmitIndex { get; set; }

    /// <summary>The type of the calls that succeeded last on this thread, for the completion's fast path.</summary>
    public Type? DoneType { get; set; }

    /// <summary>Where their succeeded count is in <see cref="Counts"/>.</summary>
    public int DoneIndex { get; set; }

    /// <summary>Adds one to the counter at <paramref name="index"/> (<c>slot * Stride + counter</c>) and returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long CountAt(int index)
    {
        long[] counts = _counts;
        if ((uint)index >= (uint)counts.Length)
        {
            counts = GrowCounts(index);
        }

        return ++counts[index];
    }

    /// <summary>The counter at <paramref name="index"/>, as the owning thread last wrote it.</summary>
    public long Read(int index) => index < _counts.Length ? _counts[index] : 0;

    /// <summary>Adds <paramref name="delta"/> (one by default) to <paramref name="counter"/> of <paramref name="slot"/> and returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Count(int slot, int counter, int delta = 1)
    {
        long[] counts = _counts;
        int index = (slot * Stride) + counter;
        if ((uint)index >= (uint)counts.Length)
        {
            counts = GrowCounts(index);
        }

        return counts[index] += delta;
    }

    /// <summary>Adds <paramref name="count"/> argument edges from method <paramref name="from"/> to method <paramref name="to"/>.</summary>
    public void CountEdge(int from, int to, long count = 1)
    {
        if (from != _edgeFrom || to != _edgeTo)
        {
            _edgeIndex = MethodEdges.IndexOf(from, to);
            _edgeFrom = from;
            _edgeTo = to;
        }

        long[] edges = _edges;
        if ((uint)_edgeIndex >= (uint)edges.Length)
        {
            long[] grown = new long[Math.Max(edges.Length * 2, _edgeIndex + 1)];
            Array.Copy(edges, grown, edges.Length);
            Volatile.Write(ref _edges, grown);
            edges = grown;
        }

        edges[_edgeIndex] += count;
    }

    /// <summary>What the monitor knows of <paramref name="type"/>, from this thread's cache when it was seen lately.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CallType TypeOf(Type type)
    {
        if (type == _type0)
        {
            return _entry0!;
        }

        return TypeOfSlow(type);
    }

    /// <summary>The slot of a call: its type's, or its delegate's for a <c>Submit(delegate)</c> call.</summary>
    public MethodSlot SlotOf(CallType type, Delegate? function)
    {
        if (type.Slot is { } slot)
        {
            return slot;
        }

        if (function is null)
        {
            return MethodSlots.Named(new CallName("Submit", "Submit")); // a delegate call that has let its delegate go
        }

        if (function != _delegate)
        {
            _delegateSlot = MethodSlots.OfDelegate(function);
            _delegate = function;
        }

        return _delegateSlot!;
    }

    /// <summary>Drops <paramref name="ended"/> from <see cref="All"/> (lanes of threads that have ended; see <see cref="LaneTotals"/>).</summary>
    public static void Remove(HashSet<CallLane> ended)
    {
        lock (s_gate)
        {
            var kept = new List<CallLane>(s_all.Length);
            foreach (CallLane lane in s_all)
            {
                if (!ended.Contains(lane))
                {
                    kept.Add(lane);
                }
            }

            Volatile.Write(ref s_all, kept.ToArray());
        }
    }

    private static CallLane Create()
    {
        var lane = new CallLane();
        lock (s_gate)
        {
            CallLane[] grown = new CallLane[s_all.Length + 1];
            Array.Copy(s_all, grown, s_all.Length);
            grown[^1] = lane;
            Volatile.Write(ref s_all, grown);
        }

        t_current = lane;
        return lane;
    }

    private CallType TypeOfSlow(Type type)
    {
        CallType entry;
        if (type == _type1)
        {
            entry = _entry1!;
        }
        else if (type == _type2)
        {
            entry = _entry2!;
        }
        else if (type == _type3)
        {
            entry = _entry3!;
        }
        else
        {
            entry = MethodSlots.TypeOf(type);
        }

        // Most recent first: shift the others down, dropping the oldest if the type was not among them.
        if (type != _type1 && type != _type2)
        {
            _type3 = _type2;
            _entry3 = _entry2;
        }

        if (type != _type1)
        {
            _type2 = _type1;
            _entry2 = _entry1;
        }

        _type1 = _type0;
        _entry1 = _entry0;
        _type0 = type;
        _entry0 = entry;
        return entry;
    }

    private long[] GrowCounts(int index)
    {
        long[] counts = _counts;
        long[] grown = new long[Math.Max(counts.Length * 2, ((index / Stride) + 1) * Stride)];
        Array.Copy(counts, grown, counts.Length);
        Volatile.Write(ref _counts, grown);
        return grown;
    }
}

/// <summary>The registry of method-to-method argument edges: an index per (from, to) pair, for <see cref="CallLane.CountEdge"/>.</summary>
internal static class MethodEdges
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<long, int> s_index = new();
    private static (int From, int To)[] s_pairs = [];

    /// <summary>Every pair so far, by index.</summary>
    public static (int From, int To)[] All => Volatile.Read(ref s_pairs);

    public static int IndexOf(int from, int to)
    {
        long key = ((long)from << 32) | (uint)to;
        lock (s_gate)
        {
            if (s_index.TryGetValue(key, out int index))
            {
                return index;
            }

            index = s_pairs.Length;
            var grown = new (int From, int To)[index + 1];
            Array.Copy(s_pairs, grown, index);
            grown[index] = (from, to);
            s_index.Add(key, index);
            Volatile.Write(ref s_pairs, grown);
            return index;
        }
    }
}
