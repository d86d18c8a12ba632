using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Pipelines.Internals;

namespace Pipelines.Diagnostics;

// The completion side of the recording: a call counted where its run ends (the thread's frames give its lane without a
// thread-static lookup), or where it completes when it never ran here; failures logged; watched calls labelled and let go.
internal static partial class Monitoring
{
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
}
