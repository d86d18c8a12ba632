using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Pipelines.Internals;
using Pipelines.Remoting;

namespace Pipelines.Diagnostics;

// The drill-down: the calls of one method the session knows — running (from the last look), in flight, watched, failed —
// each with the argument futures a waiting call still waits for, a few levels deep.
internal sealed partial class MonitorSampler
{
    private const int WaitingForDepth = 3;
    private const int WaitingForBreadth = 8;

    /// <summary>The calls of <paramref name="method"/> the session knows: running first, then waiting (oldest first), then failed and done.</summary>
    public List<MonitoredCall> Calls(string method, int limit)
    {
        long now = Stopwatch.GetTimestamp();
        var slots = new HashSet<MethodSlot>(MethodSlots.All.Where(s => s.Name.Short == method || s.Name.Qualified == method));
        var seen = new HashSet<Future>(ReferenceEqualityComparer.Instance);
        var running = new List<(MonitoredCall Call, long Order)>();
        var waiting = new List<(MonitoredCall Call, long Order)>();
        var done = new List<(MonitoredCall Call, long Order)>();
        List<Future> live;
        lock (_gate)
        {
            live = new List<Future>(_runningCalls);
            live.AddRange(_inFlight.Select(static r => r.Call).OfType<Future>());
        }

        foreach (Future call in live)
        {
            if (!call.IsDone && SlotOfCall(call) is { } slot && slots.Contains(slot) && seen.Add(call))
            {
                MonitoredCall described = Describe(call, now, 0);
                running.Add((described, -(long)(described.Duration?.Ticks ?? 0)));
            }
        }

        foreach (MethodSlot slot in slots)
        {
            foreach (CallRecord record in Monitoring.WatchedOf(slot.Index))
            {
                if (record.Call is { } call)
                {
                    if (!seen.Add(call))
                    {
                        continue;
                    }

                    MonitoredCall described = Describe(call, now, 0);
                    (described.State == FutureState.Running ? running : described.State == FutureState.Pending ? waiting : done).Add((described, record.SubmittedAt));
                }
                else
                {
                    done.Add((FromRecord(record, now), -record.SubmittedAt));
                }
            }

            foreach ((Exception exception, string? label, DateTimeOffset time) in FailureLog.Of(slot))
            {
                done.Add((new MonitoredCall(slot.Name.Short, label, FutureState.Faulted)
                {
                    ExceptionType = FailureLog.TypeName(exception),
                    ExceptionMessage = FailureLog.Message(exception),
                }, -time.UtcTicks));
            }
        }

        return running.OrderBy(static c => c.Order)
            .Concat(waiting.OrderBy(static c => c.Order))
            .Concat(done.OrderBy(static c => c.Order).DistinctBy(static c => (c.Call.Label, c.Call.State, c.Call.ExceptionMessage)))
            .Take(limit)
            .Select(static c => c.Call)
            .ToList();
    }

    /// <summary>A live call (or future) as the drill-down shows it, with what it waits for when it has not started.</summary>
    private MonitoredCall Describe(Future future, long now, int depth)
    {
        CallRecord? record = CallRecord.Find(future);
        FutureState state = future.State;
        Exception? exception = state == FutureState.Faulted ? future.ExceptionHolder?.Exception : null;
        string method = record?.Slot?.Name.Short ?? SlotOfCall(future)?.Name.Short ?? CallNames.Of(future).Short;
        TimeSpan? duration = record is { StartedAt: > 0 } timed
            ? Stopwatch.GetElapsedTime(timed.StartedAt, timed.EndedAt > 0 ? timed.EndedAt : now)
            : OpenBarOf(future) is { } bar ? Stopwatch.GetElapsedTime(bar.Start, now) : null;
        IReadOnlyList<MonitoredCall> waitingFor = Array.Empty<MonitoredCall>();
        if (state == FutureState.Pending && depth < WaitingForDepth)
        {
            waitingFor = PendingArguments(future, record)
                .Take(WaitingForBreadth)
                .Select(argument => Describe(argument, now, depth + 1))
                .ToArray();
        }

        return new MonitoredCall(method, CallLabels.LabelOf(future), state)
        {
            Executor = future.OwnerExecutor?.Name,
            Duration = duration,
            Age = record is null ? null : Stopwatch.GetElapsedTime(record.SubmittedAt, now),
            ExceptionType = exception is null ? null : FailureLog.TypeName(exception),
            ExceptionMessage = exception is null ? null : FailureLog.Message(exception),
            WaitingFor = waitingFor,
        };
    }

    /// <summary>A watched call that is done and let go: what its record kept.</summary>
    private static MonitoredCall FromRecord(CallRecord record, long now) =>
        new(record.Slot?.Name.Short ?? record.Name.Short, record.Label, record.FinalState)
        {
            Executor = record.Executor.Name,
            Duration = record.StartedAt > 0 && record.EndedAt > 0 ? Stopwatch.GetElapsedTime(record.StartedAt, record.EndedAt) : null,
            Age = Stopwatch.GetElapsedTime(record.SubmittedAt, now),
            ExceptionType = record.Exception is null ? null : FailureLog.TypeName(record.Exception),
            ExceptionMessage = record.Exception is null ? null : FailureLog.Message(record.Exception),
        };

    /// <summary>The argument futures a pending call still waits for; a gathering stands for its elements.</summary>
    private static IEnumerable<Future> PendingArguments(Future call, CallRecord? record)
    {
        Future[] arguments = record?.Arguments() is { Length: > 0 } recorded ? recorded : LiveArguments(call);
        foreach (Future argument in arguments)
        {
            if (argument.IsDone)
            {
                continue;
            }

            if (argument is IGatherFuture)
            {
                foreach (Future element in PendingArguments(argument, CallRecord.Find(argument)))
                {
                    yield return element;
                }
            }
            else
            {
                yield return argument;
            }
        }
    }

    private static Future[] LiveArguments(Future call)
    {
        if (call is not IRemoteCall remote || call.IsDone)
        {
            return Array.Empty<Future>();
        }

        try
        {
            var arguments = new List<Future>(remote.ArgumentCount);
            for (int i = 0; i < remote.ArgumentCount; i++)
            {
                if (remote.GetArgumentFuture(i) is { } argument)
                {
                    arguments.Add(argument);
                }
            }

            return arguments.ToArray();
        }
        catch (Exception)
        {
            return Array.Empty<Future>(); // a hand-written IRemoteCall that throws, or arguments released meanwhile
        }
    }

    private MonitorBar? OpenBarOf(Future future)
    {
        lock (_gate)
        {
            foreach (LaneState state in _lanes.Values)
            {
                if (state.Open is { } open && open.Call == future)
                {
                    return open;
                }
            }
        }

        return null;
    }
}
