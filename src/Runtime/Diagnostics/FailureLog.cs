using System;
using System.Collections.Generic;
using System.Linq;

namespace Pipelines.Diagnostics;

/// <summary>
/// The failures a monitor shows: one entry per exception instance, made by the call that threw it; every call that then
/// faulted without running because of it (the same instance moves on to dependents) is counted under that entry.
/// Bounded: the first <see cref="KeepFirst"/> entries and the latest <see cref="KeepLatest"/>.
/// </summary>
/// <remarks>
/// A dependent fails in its argument's completion, which runs after the argument's own completion hook, so the call
/// that threw is always logged before the calls it takes down. An exception first seen on a call that did not run came
/// from a future that is not a call (or a call submitted before the monitor started): that call stands for it.
/// </remarks>
internal static class FailureLog
{
    public const int KeepFirst = 100;
    public const int KeepLatest = 100;
    private const int LabelsPerEntry = 5;
    private const int MaxMessage = 500;

    private static readonly object s_gate = new();
    private static readonly Dictionary<Exception, Entry> s_byException = new(ReferenceEqualityComparer.Instance);
    private static readonly List<Entry> s_first = new();
    private static readonly Queue<Entry> s_latest = new();

    /// <summary>How many distinct exceptions were logged in this session (some may have been dropped from the lists).</summary>
    public static long Count { get; private set; }

    /// <summary>A call completed faulted; <paramref name="ran"/> is false when it faulted without running.</summary>
    public static void Record(Future call, MethodSlot slot, bool ran)
    {
        if (call.ExceptionHolder?.Exception is not { } exception)
        {
            return;
        }

        string? label = call.RenderLabel(); // outside the lock: a label may run a user's ToString
        DateTimeOffset now = DateTimeOffset.UtcNow;
        lock (s_gate)
        {
            if (s_byException.TryGetValue(exception, out Entry? entry))
            {
                entry.TookDown[slot] = entry.TookDown.GetValueOrDefault(slot) + 1;
                if (label is not null && entry.TookDownLabels.Count < LabelsPerEntry)
                {
                    entry.TookDownLabels.Add(label);
                }

                return;
            }

            entry = new Entry(slot, label, exception, ran, now);
            Count++;
            s_byException.Add(exception, entry);
            if (s_first.Count < KeepFirst)
            {
                s_first.Add(entry);
                return;
            }

            if (s_latest.Count == KeepLatest)
            {
                s_byException.Remove(s_latest.Dequeue().Exception);
            }

            s_latest.Enqueue(entry);
        }
    }

    /// <summary>The kept failures, in the order they happened.</summary>
    public static List<MonitoredFailure> Read()
    {
        lock (s_gate)
        {
            return s_first.Concat(s_latest).Select(static entry => entry.ToPublic()).ToList();
        }
    }

    /// <summary>The kept failures of one method, for its drill-down.</summary>
    public static List<(Exception Exception, string? Label, DateTimeOffset Time)> Of(MethodSlot slot)
    {
        lock (s_gate)
        {
            return s_first.Concat(s_latest).Where(entry => entry.Slot == slot).Select(static entry => (entry.Exception, entry.Label, entry.Time)).ToList();
        }
    }

    public static void Clear()
    {
        lock (s_gate)
        {
            s_byException.Clear();
            s_first.Clear();
            s_latest.Clear();
            Count = 0;
        }
    }

    /// <summary>An exception's type as a user knows it: a process pool's <see cref="RemoteException"/> names the worker's type.</summary>
    public static string TypeName(Exception exception) => exception is RemoteException remote ? remote.RemoteTypeName : exception.GetType().Name;

    /// <summary>The message, cut to a length a page can show.</summary>
    public static string Message(Exception exception) =>
        exception.Message.Length <= MaxMessage ? exception.Message : string.Concat(exception.Message.AsSpan(0, MaxMessage - 1), "…");

    private sealed class Entry(MethodSlot slot, string? label, Exception exception, bool threw, DateTimeOffset time)
    {
        public MethodSlot Slot { get; } = slot;

        public string? Label { get; } = label;

        public Exception Exception { get; } = exception;

        public DateTimeOffset Time { get; } = time;

        public Dictionary<MethodSlot, long> TookDown { get; } = new();

        public List<string> TookDownLabels { get; } = new();

        public MonitoredFailure ToPublic() => new(Slot.Name.Short, Label, TypeName(Exception), Message(Exception))
        {
            Time = Time,
            Threw = threw,
            TookDown = TookDown.GroupBy(static pair => pair.Key.Name.Short).ToDictionary(static group => group.Key, static group => group.Sum(static pair => pair.Value)),
            TookDownLabels = TookDownLabels.ToArray(),
        };
    }
}
