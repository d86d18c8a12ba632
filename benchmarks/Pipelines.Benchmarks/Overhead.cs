using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --overhead</c>: only the shapes the telemetry hooks sit on, measured more often than in the quick
/// mode, so a change of a few nanoseconds per call shows above the noise: the fan-out of 1M generated <c>SubmitInc</c>
/// calls, the tree reduction over 1M leaves (<c>SubmitAdd</c> over futures), and a whole call on an
/// <see cref="InlineExecutor"/> (allocate, accept, run, complete; no thread hand-off), the most sensitive of the three.
/// <c>-- --overhead --listen</c> runs the same with an <see cref="ActivityListener"/> on "Pipelines" and a
/// <see cref="MeterListener"/> on every "Pipelines" instrument: what tracing and metrics cost when someone listens
/// (<c>--listen-traces</c>, <c>--listen-metrics</c>: one of them).
/// </summary>
internal static class Overhead
{
    private const int FanOutCalls = 1_000_000;
    private const int TreeLeaves = 1 << 20;
    private const int InlineCalls = 1_000_000;
    private const int Reps = 7;

    public static int Run(bool traces, bool metrics)
    {
        bool listen = traces || metrics;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"# Pipelines overhead: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; best of {Reps} interleaved reps after a warm-up (median in brackets); listeners: {(listen ? $"{(traces ? "ActivityListener " : "")}{(metrics ? "MeterListener " : "")}on \"Pipelines\"" : "none")}");
        using IDisposable? listeners = listen ? Listen(traces, metrics) : null;
        using var executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);
        using var inline = new InlineExecutor();

        var fanOut = new List<double>();
        var tree = new List<double>();
        var inlineCall = new List<double>();
        for (int rep = -1; rep < Reps; rep++)
        {
            Time(fanOut, rep, FanOutCalls, () => Workloads.FanOutStub(executor, FanOutCalls), Workloads.Expected.FanOut(FanOutCalls));
            Time(tree, rep, TreeLeaves, () => Workloads.TreeStub(executor, TreeLeaves), Workloads.Expected.Tree(TreeLeaves));
            Time(inlineCall, rep, InlineCalls, () => InlineDropped(inline), Workloads.Expected.FanOut(InlineCalls));
        }

        Line("fan-out 1M, generated SubmitInc, then wait for all", fanOut, "ns/call");
        Line("tree reduction 1M leaves, SubmitAdd over futures", tree, "ns/leaf");
        Line("a whole call on InlineExecutor, future dropped", inlineCall, "ns/call");
        return 0;
    }

    private static long InlineDropped(InlineExecutor inline)
    {
        long sum = 0;
        for (int i = 0; i < InlineCalls; i++)
        {
            sum += inline.SubmitInc(i).GetResult();
        }

        return sum;
    }

    private static void Time(List<double> times, int rep, int ops, Func<long> run, long expected)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long start = Stopwatch.GetTimestamp();
        long checksum = run();
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / ops;
        if (checksum != expected)
        {
            throw new InvalidOperationException($"checksum {checksum}, expected {expected}");
        }

        if (rep >= 0)
        {
            times.Add(ns);
        }
    }

    private static void Line(string name, List<double> times, string unit)
    {
        List<double> sorted = times.Order().ToList();
        Console.WriteLine($"{name}: {sorted[0]:F1} {unit} (median {sorted[sorted.Count / 2]:F1}; all {string.Join(" ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})");
    }

    private static IDisposable Listen(bool traces, bool metrics)
    {
        var activities = new ActivityListener
        {
            ShouldListenTo = source => traces && source.Name == "Pipelines",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(activities);
        var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (metrics && instrument.Meter.Name == "Pipelines")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        meters.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        meters.Start();
        Diagnostics.PipelinesTelemetry.Refresh();
        return new Both(activities, meters);
    }

    private sealed class Both(ActivityListener activities, MeterListener meters) : IDisposable
    {
        public void Dispose()
        {
            activities.Dispose();
            meters.Dispose();
        }
    }
}
