using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Pipelines.Diagnostics;
using Xunit;

namespace Pipelines.Hosting.Tests;

/// <summary>What OpenTelemetry exports for a small pipeline on a hosted executor: spans with links, and the metrics.</summary>
public class OpenTelemetryTests
{
    [Fact]
    public async Task SpansWithLinksAndMetricsReachTheExporters()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource(PipelinesTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMeter(PipelinesTelemetry.MeterName).AddInMemoryExporter(metrics).Build();

        string name = "otel-" + Guid.NewGuid().ToString("N");
        HostApplicationBuilder builder = TestHost.Builder();
        builder.Services.AddPipelines(o => o.AddThreadPool(name, maxWorkers: 2));
        using IHost host = builder.Build();
        await host.StartAsync(); // looks for listeners: the providers above are seen at once
        IExecutor executor = host.Services.GetRequiredKeyedService<IExecutor>(name);

        using var source = new ActivitySource("Pipelines.Hosting.Tests");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == source.Name, Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        Future<int> sum;
        using (Activity? root = source.StartActivity("pipeline"))
        {
            Future<int> a = executor.Submit(() => 1);
            Future<int> b = executor.Submit(() => 2);
            sum = new SumCall(executor, Futures.All(new[] { a, b }));
            Assert.Equal(3, await sum);
        }

        await host.StopAsync();
        tracing.ForceFlush();
        meters.ForceFlush();

        List<Activity> mine = spans.Where(s => Equals(s.GetTagItem(PipelinesTelemetry.ExecutorTag), name)).ToList();
        Assert.Equal(3, mine.Count);
        Activity last = mine.Single(s => s.Links.Any());
        Activity gather = spans.Single(s => s.DisplayName == "Futures.All" && last.Links.Any(l => l.Context == s.Context));
        Assert.Equal(2, gather.Links.Count());
        Assert.All(mine, s => Assert.Equal(mine[0].TraceId, s.TraceId));

        long submitted = metrics.Where(m => m.Name == PipelinesTelemetry.CallsSubmitted).SelectMany(Points)
            .Where(p => Tag(p, PipelinesTelemetry.ExecutorTag) == name).Sum(p => p.GetSumLong());
        Assert.Equal(3, submitted);
        long succeeded = metrics.Where(m => m.Name == PipelinesTelemetry.CallsCompleted).SelectMany(Points)
            .Where(p => Tag(p, PipelinesTelemetry.ExecutorTag) == name && Tag(p, PipelinesTelemetry.OutcomeTag) == "succeeded").Sum(p => p.GetSumLong());
        Assert.Equal(3, succeeded);
        long durations = metrics.Where(m => m.Name == PipelinesTelemetry.CallDuration).SelectMany(Points)
            .Where(p => Tag(p, PipelinesTelemetry.ExecutorTag) == name).Sum(p => p.GetHistogramCount());
        Assert.Equal(3, durations);
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    /// <summary>A call over a future argument, as a generated stub writes one.</summary>
    private sealed class SumCall : Internals.CallFuture<int>
    {
        private FutureOr<int[]> _values;

        public SumCall(IExecutor executor, FutureOr<int[]> values)
            : base(executor)
        {
            _values = values;
            DependOn(values);
            Start();
        }

        protected override int Invoke() => _values.GetResult().Sum();

        protected override void ReleaseArguments() => _values = default;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
