using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Pipelines.Diagnostics;

/// <summary>
/// The "Pipelines" <see cref="Meter"/>: counters and histograms fed by the call hooks, and observable instruments read
/// from executors' public counters when a listener collects. Names and tags are in <see cref="PipelinesTelemetry"/>.
/// </summary>
/// <remarks>
/// Executors are watched weakly (a <see cref="ConditionalWeakTable{TKey, TValue}"/> and weak references): one that
/// accepts a call while telemetry is on is watched from then on, until it is collected or shut down and drained.
/// </remarks>
internal static class Metrics
{
    public static readonly Meter Meter = new(PipelinesTelemetry.MeterName, PipelinesTelemetry.Version);

    public static readonly Counter<long> Submitted = Meter.CreateCounter<long>(
        PipelinesTelemetry.CallsSubmitted, "{call}", "Calls accepted by an executor.");

    public static readonly Counter<long> Completed = Meter.CreateCounter<long>(
        PipelinesTelemetry.CallsCompleted, "{call}", "Calls that reached a terminal state, by outcome (pipelines.outcome: succeeded, faulted, cancelled).");

    public static readonly Counter<long> Faulted = Meter.CreateCounter<long>(
        PipelinesTelemetry.CallsFaulted, "{call}", "Calls that faulted: they threw, or an argument future faulted.");

    public static readonly Counter<long> Cancelled = Meter.CreateCounter<long>(
        PipelinesTelemetry.CallsCancelled, "{call}", "Calls that were cancelled, before or while running.");

    public static readonly Counter<long> Retried = Meter.CreateCounter<long>(
        PipelinesTelemetry.CallsRetried, "{call}", "Runs of a call started again after it threw ([Submittable(Retries = n)]), one per rerun.");

    public static readonly Histogram<double> QueueWait = CreateSeconds(
        PipelinesTelemetry.CallQueueWait, "Time from when a call was ready to run (its argument futures done, or its submit) to its first start.");

    public static readonly Histogram<double> Duration = CreateSeconds(
        PipelinesTelemetry.CallDuration, "Time from a call's first start to its completion, retries included.");

    public static readonly ObservableUpDownCounter<int> Active = Meter.CreateObservableUpDownCounter(
        PipelinesTelemetry.CallsActive, ObserveActive, "{call}", "Calls accepted and not yet finished (waiting for arguments, queued or running).");

    public static readonly ObservableUpDownCounter<int> QueueLength = Meter.CreateObservableUpDownCounter(
        PipelinesTelemetry.QueueLength, ObserveQueueLength, "{call}", "Calls ready to run and not yet picked up by a worker (thread pools).");

    public static readonly ObservableUpDownCounter<int> BusyWorkers = Meter.CreateObservableUpDownCounter(
        PipelinesTelemetry.WorkersBusy, ObserveBusy, "{thread}", "Worker threads alive and not parked: running calls, helping, or about to look for work (thread pools).");

    public static readonly ObservableUpDownCounter<int> IdleWorkers = Meter.CreateObservableUpDownCounter(
        PipelinesTelemetry.WorkersIdle, ObserveIdle, "{thread}", "Worker threads parked, waiting for work (thread pools).");

    private static readonly Instrument[] s_instruments = { Submitted, Completed, Faulted, Cancelled, Retried, QueueWait, Duration, Active, QueueLength, BusyWorkers, IdleWorkers };
    private static readonly ConditionalWeakTable<Executor, object> s_watched = new();
    private static readonly List<WeakReference<Executor>> s_executors = new();

    /// <summary>True while a listener has enabled any of the instruments.</summary>
    public static bool IsListened
    {
        get
        {
            foreach (Instrument instrument in s_instruments)
            {
                if (instrument.Enabled)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Creates the meter and its instruments (type initialization), so listeners attached earlier see them.</summary>
    public static void Initialize() => GC.KeepAlive(Meter);

    public static string OutcomeName(FutureState state) => state switch
    {
        FutureState.Succeeded => "succeeded",
        FutureState.Faulted => "faulted",
        FutureState.Cancelled => "cancelled",
        _ => "pending",
    };

    public static void OnSubmitted(CallRecord record)
    {
        Watch(record.Executor);
        if (Submitted.Enabled)
        {
            Submitted.Add(1, Tags(record));
        }
    }

    public static void OnStarted(CallRecord record)
    {
        if (QueueWait.Enabled)
        {
            QueueWait.Record(Stopwatch.GetElapsedTime(0, record.QueueWait).TotalSeconds, Tags(record));
        }
    }

    public static void OnRetried(CallRecord record)
    {
        if (Retried.Enabled)
        {
            Retried.Add(1, Tags(record));
        }
    }

    public static void OnCompleted(CallRecord record, FutureState state)
    {
        if (Completed.Enabled)
        {
            TagList tags = Tags(record);
            tags.Add(PipelinesTelemetry.OutcomeTag, OutcomeName(state));
            Completed.Add(1, tags);
        }

        if (state == FutureState.Faulted && Faulted.Enabled)
        {
            Faulted.Add(1, Tags(record));
        }
        else if (state == FutureState.Cancelled && Cancelled.Enabled)
        {
            Cancelled.Add(1, Tags(record));
        }

        if (record.StartedAt is long started and not 0 && Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(started, record.EndedAt).TotalSeconds, Tags(record));
        }
    }

    /// <summary>Watches <paramref name="executor"/> for the observable instruments (once; weakly).</summary>
    public static void Watch(Executor executor)
    {
        if (s_watched.TryGetValue(executor, out _))
        {
            return;
        }

        lock (s_executors)
        {
            if (s_watched.TryAdd(executor, s_executors))
            {
                s_executors.Add(new WeakReference<Executor>(executor));
            }
        }
    }

    private static TagList Tags(CallRecord record) => new()
    {
        { PipelinesTelemetry.ExecutorTag, record.Executor.Name },
        { PipelinesTelemetry.MethodTag, record.Name.Qualified },
    };

    private static Histogram<double> CreateSeconds(string name, string description)
    {
#if NET9_0_OR_GREATER
        // Calls are short: buckets from 10 µs to 1 min (the default boundaries start at 5 s when the unit is seconds).
        var advice = new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
        };
        return Meter.CreateHistogram(name, "s", description, tags: null, advice);
#else
        return Meter.CreateHistogram<double>(name, "s", description);
#endif
    }

    private static IEnumerable<Measurement<int>> ObserveActive() => Observe(static e => e.OutstandingCount, threadPoolsOnly: false);

    private static IEnumerable<Measurement<int>> ObserveQueueLength() => Observe(static e => ((ThreadPoolExecutor)e).QueuedCount, threadPoolsOnly: true);

    private static IEnumerable<Measurement<int>> ObserveBusy() =>
        Observe(static e => Math.Max(0, ((ThreadPoolExecutor)e).WorkerCount - ((ThreadPoolExecutor)e).IdleWorkerCount), threadPoolsOnly: true);

    private static IEnumerable<Measurement<int>> ObserveIdle() => Observe(static e => ((ThreadPoolExecutor)e).IdleWorkerCount, threadPoolsOnly: true);

    private static List<Measurement<int>> Observe(Func<Executor, int> read, bool threadPoolsOnly)
    {
        var measurements = new List<Measurement<int>>();
        lock (s_executors)
        {
            // Forget executors that are gone, or shut down with nothing left to do.
            s_executors.RemoveAll(static reference => !reference.TryGetTarget(out Executor? e) || (e.IsShutdown && e.OutstandingCount == 0));
            foreach (WeakReference<Executor> reference in s_executors)
            {
                if (reference.TryGetTarget(out Executor? executor) && (!threadPoolsOnly || executor is ThreadPoolExecutor))
                {
                    measurements.Add(new Measurement<int>(read(executor), new KeyValuePair<string, object?>(PipelinesTelemetry.ExecutorTag, executor.Name)));
                }
            }
        }

        return measurements;
    }
}
