using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Pipelines.Diagnostics;

/// <summary>
/// The recording under <see cref="PipelineMonitor"/>: on while at least one monitor is open, off (and not a single
/// instruction per call beyond <see cref="Telemetry"/>'s one static read) otherwise.
/// </summary>
/// <remarks>
/// <para><b>Per call</b>, while it is on: one plain increment on the submitting thread's <see cref="CallLane"/> and one on
/// the lane of the thread whose run ended it (no allocation, no interlocked operation, no clock read); argument futures
/// add one per edge. Parts: <c>Monitoring.Submit.cs</c> and <c>Monitoring.Completion.cs</c>.
/// That is what keeps a monitored fan-out within a few percent of an unmonitored one.</para>
/// <para><b>Per sampled call</b>: the first <see cref="WatchFirst"/> calls of each method on each submitting thread, then
/// one in <see cref="WatchEvery"/>, get a <see cref="CallRecord"/>, kept in their method's ring of watched calls: what
/// <see cref="PipelineMonitor.Calls"/> shows, with labels and what a stuck call waits for. Async calls, calls of remote
/// executors and gatherings always get one: the first are timed exactly (they run on no thread the sampler can see),
/// the last carry the methods of their elements.</para>
/// <para><b>Per failure</b>: the call's label and exception, grouped by exception instance, so the calls it took down are
/// counted under the call that threw (<see cref="FailureLog"/>).</para>
/// <para><b>Sampled</b>: what each thread runs, read from its <see cref="ExecutionFrames"/> about 50 times a second by
/// <see cref="MonitorSampler"/>, which draws the task stream and counts the running calls.</para>
/// </remarks>
internal static partial class Monitoring
{
    /// <summary>Calls of a method watched on each submitting thread before sampling starts.</summary>
    public const int WatchFirst = 256;

    /// <summary>
    /// After the first ones, one call in this many is watched (a power of two): a watched call costs a few hundred
    /// nanoseconds (a record, three clock reads), so at one in 1024 it adds well under a nanosecond per call.
    /// </summary>
    public const int WatchEvery = 1024;

    /// <summary>Watched calls kept per method, newest last.</summary>
    public const int WatchedPerMethod = 256;

    private static readonly object s_gate = new();
    private static readonly Dictionary<int, Queue<CallRecord>> s_watched = new();
    private static readonly List<WeakReference<Executor>> s_executors = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Executor, object> s_seen = new();
    private static int s_monitors;
    private static MonitorSampler? s_sampler;

    /// <summary>True while a monitor is open. Read by <see cref="Telemetry"/>'s hooks, which are already behind <see cref="Telemetry.IsEnabled"/>.</summary>
    public static volatile bool IsOn;

    /// <summary>The sampler of the running session, or null while off.</summary>
    public static MonitorSampler? Sampler => Volatile.Read(ref s_sampler);

    /// <summary>The lock of the session's shared state (watched calls, executors, failures, in-flight bars).</summary>
    public static object Gate => s_gate;

    /// <summary>Opens a monitor: the first one starts a session (fresh counts, a sampler thread).</summary>
    public static void Start()
    {
        lock (s_gate)
        {
            if (s_monitors++ == 0)
            {
                s_watched.Clear();
                // Executors seen in an earlier session stay known (weakly): each thread remembers the executor it last
                // submitted to and registers only a new one, so a fresh session would never see them again.
                FailureLog.Clear();
                var sampler = new MonitorSampler();
                Volatile.Write(ref s_sampler, sampler);
                IsOn = true;
                sampler.Start();
            }
        }

        Telemetry.Refresh();
    }

    /// <summary>Closes a monitor: the last one ends the session (the sampler stops; calls pay nothing again).</summary>
    public static void Stop()
    {
        MonitorSampler? stopping = null;
        lock (s_gate)
        {
            if (--s_monitors == 0)
            {
                IsOn = false;
                stopping = s_sampler;
                Volatile.Write(ref s_sampler, null);
            }
        }

        Telemetry.Refresh();
        stopping?.Stop();
    }

    /// <summary>The watched calls of a method, oldest first.</summary>
    public static CallRecord[] WatchedOf(int slot)
    {
        lock (s_gate)
        {
            return s_watched.TryGetValue(slot, out Queue<CallRecord>? ring) ? ring.ToArray() : Array.Empty<CallRecord>();
        }
    }

    /// <summary>The executors that accepted a call while a monitor recorded (in this session or an earlier one) and are still alive.</summary>
    public static List<Executor> Executors()
    {
        var alive = new List<Executor>();
        lock (s_gate)
        {
            foreach (WeakReference<Executor> reference in s_executors)
            {
                if (reference.TryGetTarget(out Executor? executor))
                {
                    alive.Add(executor);
                }
            }
        }

        return alive;
    }

    private static void See(Executor executor)
    {
        if (executor == InlineExecutor.ForCompletedFutures)
        {
            return;
        }

        lock (s_gate)
        {
            if (s_seen.TryAdd(executor, s_gate))
            {
                s_executors.RemoveAll(static reference => !reference.TryGetTarget(out _));
                s_executors.Add(new WeakReference<Executor>(executor));
            }
        }
    }
}
