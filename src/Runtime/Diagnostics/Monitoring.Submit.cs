using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Pipelines.Internals;
using Pipelines.Remoting;

namespace Pipelines.Diagnostics;

// The submit side of the recording: a call counted where it is submitted, a sample of calls kept, argument edges counted
// between methods (a gathering adds its elements' methods instead).
internal static partial class Monitoring
{
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
}
