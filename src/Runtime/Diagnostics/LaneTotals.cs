using System;
using System.Collections.Generic;

namespace Pipelines.Diagnostics;

/// <summary>
/// The sums of every <see cref="CallLane"/>'s counters, for the process's lifetime: the live lanes plus the lanes of
/// threads that have ended, folded in here when they are dropped. A monitor session reads them at its start (its
/// baseline) and subtracts that from what it reads later.
/// </summary>
/// <remarks>
/// Folding a lane and dropping it from <see cref="CallLane.All"/> happen under one lock that <see cref="Read"/> takes
/// too, so a read never counts a lane twice or not at all. A thread that has ended writes nothing more: its counts are
/// final when they are folded.
/// </remarks>
internal static class LaneTotals
{
    private static readonly object s_gate = new();
    private static long[] s_retiredCounts = [];
    private static long[] s_retiredEdges = [];

    /// <summary>Counters laid out as <see cref="CallLane.Counts"/> and <see cref="CallLane.Edges"/>, summed over every lane.</summary>
    public static (long[] Counts, long[] Edges) Read()
    {
        lock (s_gate)
        {
            long[] counts = (long[])s_retiredCounts.Clone();
            long[] edges = (long[])s_retiredEdges.Clone();
            foreach (CallLane lane in CallLane.All)
            {
                Add(ref counts, lane.Counts);
                Add(ref edges, lane.Edges);
            }

            return (counts, edges);
        }
    }

    /// <summary>Folds the lanes of threads that have ended into the totals and drops them.</summary>
    public static void RetireEnded()
    {
        lock (s_gate)
        {
            HashSet<CallLane>? ended = null;
            foreach (CallLane lane in CallLane.All)
            {
                if (!lane.Thread.IsAlive)
                {
                    (ended ??= new HashSet<CallLane>()).Add(lane);
                    Add(ref s_retiredCounts, lane.Counts);
                    Add(ref s_retiredEdges, lane.Edges);
                }
            }

            if (ended is not null)
            {
                CallLane.Remove(ended);
            }
        }
    }

    /// <summary>The value at <paramref name="index"/>, 0 past the end (counters not yet grown to it).</summary>
    public static long At(long[] values, int index) => index < values.Length ? values[index] : 0;

    private static void Add(ref long[] sums, long[] values)
    {
        if (sums.Length < values.Length)
        {
            Array.Resize(ref sums, values.Length);
        }

        for (int i = 0; i < values.Length; i++)
        {
            sums[i] += values[i];
        }
    }
}
