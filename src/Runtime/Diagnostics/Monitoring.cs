using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Pipelines.Advanced;

namespace Pipelines.Diagnostics;

/// <summary>
/// The recording under <see cref="PipelineMonitor"/>: on while at least one monitor is open, off (and not a single
/// instruction per call beyond <see cref="Telemetry"/>'s one static read) otherwise.
/// </summary>
/// <remarks>
/// <para><b>Per call</b>, while it is on: one plain increment on the submitting thread's <see cref="CallLane"/> and one on
/// the completing thread's (no allocation, no interlocked operation, no clock read); argument futures add one per edge.
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
internal static class Monitoring
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
                s_executors.Clear();
                s_seen.Clear();
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

    /// <summary>A call was accepted (on the submitting thread, before its arguments are stored), while telemetry records no call itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnSubmitted(Future call, Executor executor)
    {
        CallLane lane = CallLane.Current;
        if (call.GetType() == lane.SubmitType && executor == lane.SubmitExecutor)
        {
            // The common case, the same kind of call as last time on this thread: one increment.
            long count = lane.CountAt(lane.SubmitIndex);
            if (count > WatchFirst && (count & (WatchEvery - 1)) != 0)
            {
                return;
            }
        }

        CallRecord? record = null;
        OnSubmittedOtherwise(call, executor, null, lane, ref record);
    }

    /// <summary>
    /// The same, when telemetry records every call: <paramref name="record"/> is the call's (the monitor may keep it), and
    /// <paramref name="function"/> its delegate when the caller already took it (see <see cref="Telemetry.TakeAnnounced"/>).
    /// </summary>
    public static void OnSubmitted(Future call, Executor executor, Delegate? function, ref CallRecord? record)
    {
        CallLane lane = CallLane.Current;
        if (call.GetType() == lane.SubmitType && executor == lane.SubmitExecutor)
        {
            long count = lane.CountAt(lane.SubmitIndex);
            if (count > WatchFirst && (count & (WatchEvery - 1)) != 0)
            {
                return;
            }
        }

        OnSubmittedOtherwise(call, executor, function, lane, ref record);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OnSubmittedOtherwise(Future call, Executor executor, Delegate? function, CallLane lane, ref CallRecord? record)
    {
        Type callType = call.GetType();
        CallType type = lane.TypeOf(callType);
        if (type.IsGather)
        {
            record = Gathering(call, executor, record); // no call of the pipeline: drawn inside the call that takes it
            return;
        }

        if (executor != lane.LastExecutor)
        {
            lane.LastExecutor = executor;
            lane.LastExecutorIsRemote = executor is RemoteExecutor;
            See(executor);
        }

        bool inFlight = type.IsAsync || lane.LastExecutorIsRemote;
        long count;
        MethodSlot slot;
        if (callType == lane.SubmitType && executor == lane.SubmitExecutor)
        {
            slot = type.Slot!;
            count = lane.Read(lane.SubmitIndex); // counted by the fast path already
        }
        else
        {
            // A delegate call is named by its delegate (announced by its Submit just before it was made).
            slot = type.Slot ?? lane.SlotOf(type, function ?? Telemetry.TakeAnnounced(call));
            count = lane.Count(slot.Index, CallLane.Submitted);
            if (type.Slot is not null && !inFlight)
            {
                lane.SubmitType = callType;
                lane.SubmitExecutor = executor;
                lane.SubmitIndex = (slot.Index * CallLane.Stride) + CallLane.Submitted;
            }
        }

        if (!inFlight && count > WatchFirst && (count & (WatchEvery - 1)) != 0)
        {
            return;
        }

        record ??= new CallRecord(call, slot.Name, executor, Stopwatch.GetTimestamp());
        record.Slot = slot;
        record.InFlight = inFlight;
        record.Call = call;
        lock (s_gate)
        {
            if (!s_watched.TryGetValue(slot.Index, out Queue<CallRecord>? ring))
            {
                ring = new Queue<CallRecord>();
                s_watched.Add(slot.Index, ring);
            }

            if (ring.Count == WatchedPerMethod)
            {
                ring.Dequeue();
            }

            ring.Enqueue(record);
        }
    }

    /// <summary>A call will wait for <paramref name="argument"/>: one edge between their methods (each element, for a gathering).</summary>
    public static void OnArgument(Future call, Future argument)
    {
        CallLane lane = CallLane.Current;
        CallType callType = lane.TypeOf(call.GetType());
        CallType argumentType = lane.TypeOf(argument.GetType());
        if (callType.IsGather)
        {
            if (CallRecord.Find(call) is { InputSlots: { } inputs })
            {
                lock (inputs)
                {
                    Gather(inputs, argument, argumentType, lane);
                }
            }

            return;
        }

        int to = (callType.Slot ?? lane.SlotOf(callType, (call as IDelegateCall)?.Function)).Index;
        if (argumentType.IsGather)
        {
            if (CallRecord.Find(argument) is { InputSlots: { } inputs })
            {
                lock (inputs)
                {
                    foreach (KeyValuePair<int, long> input in inputs)
                    {
                        lane.CountEdge(input.Key, to, input.Value);
                    }
                }
            }

            return;
        }

        lane.CountEdge((argumentType.Slot ?? lane.SlotOf(argumentType, (argument as IDelegateCall)?.Function)).Index, to);
    }

    /// <summary>
    /// A call reached its terminal state (before its continuations run and before it releases its arguments). It is
    /// counted here when it did not run to its end on a thread of ours — it never ran (<paramref name="ran"/> false), or it
    /// is timed in flight (async, or remote) — and otherwise by <see cref="OnRunEnded"/> when its run returns, where the
    /// thread's lane comes without a thread-static lookup. A failure is logged here either way.
    /// </summary>
    public static void OnCompleted(Future call, FutureState state, bool ran, bool inFlight)
    {
        if (!ran || inFlight)
        {
            CallLane lane = CallLane.Current;
            Count(call, state, ran, lane, lane.TypeOf(call.GetType()));
        }

        if (state == FutureState.Faulted && SlotOf(call) is { } slot)
        {
            FailureLog.Record(call, slot, ran);
        }
    }

    /// <summary>
    /// A run of <paramref name="call"/> returned on the thread whose <paramref name="frames"/> these are: if that run ended
    /// the call (it is done, and not timed in flight), count its outcome on the thread's lane. A call cancelled by its
    /// timeout while it ran is counted when its run returns, as it leaves the thread only then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnRunEnded(Future call, ExecutionFrames frames)
    {
        FutureState state = call.State;
        if (frames.Lane is { } lane && state == FutureState.Succeeded && call.GetType() == lane.DoneType)
        {
            lane.CountAt(lane.DoneIndex); // the common case: the same kind of call as last time on this thread succeeded
            return;
        }

        if (state is FutureState.Succeeded or FutureState.Faulted or FutureState.Cancelled && CallRecord.Find(call) is not { InFlight: true })
        {
            RunEndedOtherwise(call, state, frames.Lane ?? CallLane.Current);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunEndedOtherwise(Future call, FutureState state, CallLane lane)
    {
        Type callType = call.GetType();
        CallType type = lane.TypeOf(callType);
        if (state == FutureState.Succeeded && type.Slot is { } known && !type.IsAsync)
        {
            // Only calls that are never in flight take the fast path, which does not look for a record.
            lane.DoneType = callType;
            lane.DoneIndex = (known.Index * CallLane.Stride) + CallLane.Succeeded;
        }

        Count(call, state, ran: true, lane, type);
    }

    private static void Count(Future call, FutureState state, bool ran, CallLane lane, CallType type)
    {
        if (type.IsGather)
        {
            return;
        }

        MethodSlot slot = type.Slot ?? lane.SlotOf(type, (call as IDelegateCall)?.Function);
        int counter = state switch
        {
            FutureState.Succeeded => CallLane.Succeeded,
            FutureState.Faulted => ran ? CallLane.FaultedRan : CallLane.FaultedNotRun,
            _ => ran ? CallLane.CancelledRan : CallLane.CancelledNotRun,
        };
        lane.Count(slot.Index, counter);
    }

    /// <summary>The slot of a call, for the rare paths (failures): null for a gathering.</summary>
    private static MethodSlot? SlotOf(Future call)
    {
        CallLane lane = CallLane.Current;
        CallType type = lane.TypeOf(call.GetType());
        return type.IsGather ? null : type.Slot ?? lane.SlotOf(type, (call as IDelegateCall)?.Function);
    }

    /// <summary>A watched call started its first run (its arguments are all there): label it, and time it if it runs on no thread of ours.</summary>
    public static void OnRecordStarted(Future call, CallRecord record)
    {
        record.RenderLabel(call);
        if (record.InFlight && Sampler is { } sampler)
        {
            sampler.OpenInFlight(record);
        }
    }

    /// <summary>A watched call completed: keep what it was, let the call go.</summary>
    public static void OnRecordCompleted(Future call, CallRecord record, FutureState state)
    {
        record.RenderLabel(call);
        record.FinalState = state;
        record.Exception = state == FutureState.Faulted ? call.ExceptionHolder?.Exception : null;
        if (record.Bar is not null && Sampler is { } sampler)
        {
            sampler.CloseInFlight(record, state);
        }

        record.Call = null;
    }

    /// <summary>The watched calls of a method, oldest first.</summary>
    public static CallRecord[] WatchedOf(int slot)
    {
        lock (s_gate)
        {
            return s_watched.TryGetValue(slot, out Queue<CallRecord>? ring) ? ring.ToArray() : Array.Empty<CallRecord>();
        }
    }

    /// <summary>The executors seen in this session that are still alive.</summary>
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

    private static void Gather(Dictionary<int, long> inputs, Future element, CallType elementType, CallLane lane)
    {
        if (elementType.IsGather)
        {
            if (CallRecord.Find(element) is { InputSlots: { } nested } && nested != inputs)
            {
                lock (nested)
                {
                    foreach (KeyValuePair<int, long> input in nested)
                    {
                        inputs[input.Key] = inputs.GetValueOrDefault(input.Key) + input.Value;
                    }
                }
            }

            return;
        }

        int slot = (elementType.Slot ?? lane.SlotOf(elementType, (element as IDelegateCall)?.Function)).Index;
        inputs[slot] = inputs.GetValueOrDefault(slot) + 1;
    }

    private static CallRecord Gathering(Future call, Executor executor, CallRecord? record)
    {
        record ??= new CallRecord(call, CallName.Future, executor, Stopwatch.GetTimestamp());
        record.InputSlots = new Dictionary<int, long>();
        return record;
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
