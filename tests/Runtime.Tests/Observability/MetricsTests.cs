using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

/// <summary>The metric values a small pipeline produces. Listeners are process-wide: these tests run alone.</summary>
[Collection(nameof(ProcessWide))]
public class MetricsTests
{
    [Fact]
    public void CountersAndHistogramsFollowEachCallByExecutorAndMethod()
    {
        using var recorder = new MeasurementRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "metrics-" + Guid.NewGuid().ToString("N"));

        Future<int> a = new LoadCall(pool, _ => 1);
        Future<int> b = new LoadCall(pool, _ => 2);
        Future<int> sum = new AddCall(pool, v => v[0] + v[1], a, b);
        Future<int> boom = new ParseCall(pool, _ => throw new FormatException("bad"));
        Future<int> dependent = new AddCall(pool, v => v[0], boom);
        var gate = new Promise<int>();
        Future<int> cancelled = new MergeCall(pool, v => v[0], gate.Future);
        Assert.Equal(3, sum.GetResult(Wait.Long));
        Wait.Done(dependent);
        Assert.True(cancelled.Cancel());
        gate.SetResult(0);
        _ = dependent.GetException();

        List<Measurement> mine = recorder.Of(pool);
        Assert.Equal(6, Total(mine, PipelinesTelemetry.CallsSubmitted));
        Assert.Equal(2, Total(mine, PipelinesTelemetry.CallsSubmitted, "Demo.Load"));
        Assert.Equal(6, Total(mine, PipelinesTelemetry.CallsCompleted));
        Assert.Equal(3, Total(mine, PipelinesTelemetry.CallsCompleted, outcome: "succeeded"));
        Assert.Equal(2, Total(mine, PipelinesTelemetry.CallsCompleted, outcome: "faulted"));
        Assert.Equal(1, Total(mine, PipelinesTelemetry.CallsCompleted, outcome: "cancelled"));
        Assert.Equal(2, Total(mine, PipelinesTelemetry.CallsFaulted));
        Assert.Equal(1, Total(mine, PipelinesTelemetry.CallsFaulted, "Demo.Parse"));
        Assert.Equal(1, Total(mine, PipelinesTelemetry.CallsCancelled, "Demo.Merge"));

        // Only the four calls that ran have a queue wait and a run time; none is negative.
        Measurement[] waits = mine.Where(m => m.Instrument == PipelinesTelemetry.CallQueueWait).ToArray();
        Measurement[] runs = mine.Where(m => m.Instrument == PipelinesTelemetry.CallDuration).ToArray();
        Assert.Equal(new[] { "Demo.Add", "Demo.Load", "Demo.Load", "Demo.Parse" }, waits.Select(m => m.Method).Order());
        Assert.Equal(new[] { "Demo.Add", "Demo.Load", "Demo.Load", "Demo.Parse" }, runs.Select(m => m.Method).Order());
        Assert.All(waits.Concat(runs), m => Assert.True(m.Value >= 0, $"{m.Instrument} {m.Value}"));
    }

    [Fact]
    public void ObservableInstrumentsReadTheWatchedPools()
    {
        using var recorder = new MeasurementRecorder();
        using var pool = new ThreadPoolExecutor(1, threadNamePrefix: "metrics-" + Guid.NewGuid().ToString("N"));
        using var started = new System.Threading.ManualResetEventSlim();
        using var release = new System.Threading.ManualResetEventSlim();
        Future<int> blocked = pool.Submit(() =>
        {
            started.Set();
            Wait.For(release, "the test to release the call");
            return 5;
        });
        Future<int> queued = new LoadCall(pool, _ => 1);
        Wait.For(started, "the first call to start");

        recorder.Collect();
        List<Measurement> now = recorder.Of(pool);
        Assert.Equal(2, Last(now, PipelinesTelemetry.CallsActive));
        Assert.Equal(1, Last(now, PipelinesTelemetry.WorkersBusy));
        Assert.Equal(0, Last(now, PipelinesTelemetry.WorkersIdle));
        Assert.Equal(1, Last(now, PipelinesTelemetry.QueueLength));

        release.Set();
        Assert.Equal(5, blocked.GetResult(Wait.Long));
        Assert.Equal(1, queued.GetResult(Wait.Long));
        Wait.Until(
            () =>
            {
                recorder.Collect();
                List<Measurement> after = recorder.Of(pool);
                return Last(after, PipelinesTelemetry.CallsActive) == 0 && Last(after, PipelinesTelemetry.QueueLength) == 0;
            },
            "the pool reports no active calls");
    }

    [Fact]
    public void TheRetriedCounterCountsEachRerunByMethod()
    {
        using var recorder = new MeasurementRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "metrics-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(3, pool.SubmitRetriedOnIo(new RunCounter(), 2, "io").GetResult(Wait.Long));
        Assert.Equal(1, pool.SubmitRetriedOnAnything(new RunCounter(), 0, "io").GetResult(Wait.Long));
        Assert.Throws<InvalidOperationException>(() => pool.SubmitRetriedOnIo(new RunCounter(), 1, "invalid-operation").GetResult(Wait.Long));

        List<Measurement> mine = recorder.Of(pool);
        Assert.Equal(2, Total(mine, PipelinesTelemetry.CallsRetried));
        Assert.Equal(2, Total(mine, PipelinesTelemetry.CallsRetried, "RetryJobs.RetriedOnIo"));
    }

    [Fact]
    public void TheMeterIsNamedPipelinesAndItsInstrumentsAreDescribed()
    {
        using var recorder = new MeasurementRecorder();
        Assert.Contains(recorder.Published, i => i.Name == PipelinesTelemetry.CallsSubmitted && i.Unit == "{call}");
        Assert.Contains(recorder.Published, i => i.Name == PipelinesTelemetry.CallDuration && i.Unit == "s");
        Assert.All(recorder.Published, i => Assert.False(string.IsNullOrEmpty(i.Description)));
        Assert.Equal(11, recorder.Published.Count);
    }

    private static long Total(List<Measurement> measurements, string instrument, string? method = null, string? outcome = null) =>
        (long)measurements.Where(m => m.Instrument == instrument && (method is null || m.Method == method) && (outcome is null || m.Outcome == outcome)).Sum(m => m.Value);

    private static double Last(List<Measurement> measurements, string instrument) => measurements.Last(m => m.Instrument == instrument).Value;

    internal sealed record Measurement(string Instrument, double Value, string? Executor, string? Method, string? Outcome);

    /// <summary>A MeterListener on every "Pipelines" instrument, recording each measurement with its tags.</summary>
    internal sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _measurements = new();

        public MeasurementRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelinesTelemetry.MeterName)
                {
                    Published.Add(instrument);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
            Telemetry.Refresh();
        }

        public ConcurrentBag<Instrument> Published { get; } = new();

        public void Collect() => _listener.RecordObservableInstruments();

        public List<Measurement> Of(Executor executor) => _measurements.Where(m => m.Executor == executor.Name).ToList();

        public void Dispose()
        {
            _listener.Dispose();
            Telemetry.Refresh();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? executor = null, method = null, outcome = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                switch (tag.Key)
                {
                    case PipelinesTelemetry.ExecutorTag:
                        executor = (string?)tag.Value;
                        break;
                    case PipelinesTelemetry.MethodTag:
                        method = (string?)tag.Value;
                        break;
                    case PipelinesTelemetry.OutcomeTag:
                        outcome = (string?)tag.Value;
                        break;
                }
            }

            _measurements.Enqueue(new Measurement(instrument.Name, value, executor, method, outcome));
        }
    }
}
