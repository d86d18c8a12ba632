using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Pipelines.Diagnostics;

// What the sampler hands out: snapshots of the session — progress per method, edges, executors, failures, and the
// task stream's bars changed since a version.
internal sealed partial class MonitorSampler
{
    /// <summary>The session now; <paramref name="since"/> limits the task stream to the bars changed after that version.</summary>
    public PipelineMonitorSnapshot Snapshot(long since)
    {
        (long[] totals, long[] edgeTotals) = LaneTotals.Read();
        long now = Stopwatch.GetTimestamp();
        MethodSlot[] slots = MethodSlots.All;
        lock (_gate)
        {
            var methods = new List<MonitoredMethod>();
            foreach (MethodSlot slot in slots)
            {
                if (Method(slot, totals, now) is { } method)
                {
                    methods.Add(method);
                }
            }

            var edges = new List<MonitoredEdge>();
            (int From, int To)[] pairs = MethodEdges.All;
            for (int i = 0; i < pairs.Length; i++)
            {
                long count = LaneTotals.At(edgeTotals, i) - LaneTotals.At(_baselineEdges, i);
                if (count > 0)
                {
                    edges.Add(new MonitoredEdge(slots[pairs[i].From].Name.Qualified, slots[pairs[i].To].Name.Qualified, count));
                }
            }

            var bars = new List<TaskStreamBar>();
            foreach (MonitorBar bar in _bars)
            {
                if (bar.Version > since && (bar.IsRunning || bar.End >= now - s_window))
                {
                    bars.Add(bar.ToPublic(TimeOf));
                }
            }

            return new PipelineMonitorSnapshot(TimeOf(now), Stopwatch.GetElapsedTime(_startedAt, now), methods, edges, Executors(), FailureLog.Read(), bars, _version);
        }
    }

    private MonitoredMethod? Method(MethodSlot slot, long[] totals, long now)
    {
        int at = slot.Index * CallLane.Stride;
        long Count(int counter) => LaneTotals.At(totals, at + counter) - LaneTotals.At(_baselineCounts, at + counter);
        long submitted = Count(CallLane.Submitted);
        long succeeded = Count(CallLane.Succeeded);
        long faultedRan = Count(CallLane.FaultedRan);
        long faultedNotRun = Count(CallLane.FaultedNotRun);
        long cancelled = Count(CallLane.CancelledRan) + Count(CallLane.CancelledNotRun);
        long done = succeeded + faultedRan + faultedNotRun + cancelled;
        if (submitted <= 0 && done <= 0)
        {
            return null;
        }

        long running = Math.Min(slot.Index < _running.Length ? _running[slot.Index] : 0, Math.Max(0, submitted - done));
        long queued = Math.Max(0, submitted - done - running);
        double rate = Rate(slot.Index, totals, now);
        long ran = succeeded + faultedRan + Count(CallLane.CancelledRan);
        TimeSpan? mean = slot.Index < _exactCount.Length && _exactCount[slot.Index] > 0
            ? TimeSpan.FromSeconds(_exactSeconds[slot.Index] / _exactCount[slot.Index])
            : ran > 0 && slot.Index < _busySeconds.Length && _busySeconds[slot.Index] > 0 ? TimeSpan.FromSeconds(_busySeconds[slot.Index] / ran) : null;
        return new MonitoredMethod(slot.Name.Short, slot.Name.Qualified)
        {
            Submitted = submitted,
            Queued = queued,
            Running = running,
            Succeeded = succeeded,
            Faulted = faultedRan + faultedNotRun,
            FaultedWithoutRunning = faultedNotRun,
            Cancelled = cancelled,
            CompletionsPerSecond = rate,
            EstimatedRemaining = queued + running == 0 ? TimeSpan.Zero : rate > 0 ? TimeSpan.FromSeconds((queued + running) / rate) : null,
            MeanDuration = mean,
        };
    }

    /// <summary>Completions per second of a slot over the last five seconds of history (less at the start).</summary>
    private double Rate(int slot, long[] totals, long now)
    {
        (long At, long[] Done) oldest = default;
        foreach ((long At, long[] Done) entry in _history)
        {
            if (now - entry.At <= 5 * s_second)
            {
                oldest = entry;
                break;
            }
        }

        if (oldest.Done is null || now - oldest.At < s_second / 4)
        {
            return 0;
        }

        long doneNow = DoneBySlot(totals) is { } all && slot < all.Length ? all[slot] : 0;
        long doneThen = slot < oldest.Done.Length ? oldest.Done[slot] : 0;
        return Math.Max(0, doneNow - doneThen) / ((double)(now - oldest.At) / s_second);
    }

    private List<MonitoredExecutor> Executors()
    {
        var list = new List<MonitoredExecutor>();
        foreach (Executor executor in Monitoring.Executors())
        {
            int running = _runningByExecutor.GetValueOrDefault(executor);
            list.Add(executor switch
            {
                ThreadPoolExecutor pool => new MonitoredExecutor(pool.Name, nameof(ThreadPoolExecutor))
                {
                    MaxWorkers = pool.MaxWorkers,
                    Workers = pool.WorkerCount,
                    IdleWorkers = pool.IdleWorkerCount,
                    Queued = pool.QueuedCount,
                    Running = running,
                    Unfinished = executor.OutstandingCount,
                    IsShutdown = executor.IsShutdown,
                    IsBroken = executor.IsBroken,
                },
                ProcessPoolExecutor processes => new MonitoredExecutor(processes.Name, nameof(ProcessPoolExecutor))
                {
                    MaxWorkers = processes.MaxWorkers,
                    Workers = processes.WorkerCount,
                    Running = running,
                    Unfinished = executor.OutstandingCount,
                    IsShutdown = executor.IsShutdown,
                    IsBroken = executor.IsBroken,
                },
                _ => new MonitoredExecutor(executor.Name, executor.GetType().Name)
                {
                    Running = running,
                    Unfinished = executor.OutstandingCount,
                    IsShutdown = executor.IsShutdown,
                    IsBroken = executor.IsBroken,
                },
            });
        }

        return list;
    }

    private MethodSlot? SlotOfCall(Future future)
    {
        lock (_gate)
        {
            return SlotOf(future);
        }
    }

    private DateTimeOffset TimeOf(long timestamp) => _startedWall + Stopwatch.GetElapsedTime(_startedAt, timestamp);
}
