using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using Pipelines.Diagnostics;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>A process-pool call carries its trace context to the worker, where its span continues.</summary>
public sealed class TracingTests
{
    [Fact]
    public void TheWorkerRunsTheCallInsideAChildOfTheCallsSpan()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelinesTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        PipelinesTelemetry.Refresh();

        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var root = new Activity("test-root").Start();
        string? seen = pool.SubmitCurrentTrace().GetResult(Wait.Long);
        root.Stop();

        Activity span = Assert.Single(stopped, s => Equals(s.GetTagItem(PipelinesTelemetry.ExecutorTag), pool.Name));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("Jobs.CurrentTrace", span.DisplayName);
        Assert.Equal(root.SpanId, span.ParentSpanId);
        Assert.Equal("succeeded", span.GetTagItem(PipelinesTelemetry.OutcomeTag));
        Assert.Equal($"{span.TraceId}/{span.SpanId}/Jobs.CurrentTrace", seen);
    }

    [Fact]
    public void WithoutATraceTheWorkerHasNoSpan()
    {
        PipelinesTelemetry.Refresh();
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Assert.Null(pool.SubmitCurrentTrace().GetResult(Wait.Long));
    }
}
