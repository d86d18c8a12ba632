// OpenTelemetry: the spans and metrics of a small pipeline, printed by OpenTelemetry's console exporter.
//   Download(a), Download(b) -> WordCount each -> Total
// Each call is a span, child of the "ingest" span that submitted it; Total's span links to the two WordCount spans
// (the futures it waited for), and each WordCount's to its Download. Then the "Pipelines" meter's instruments.
// In an app: .AddSource("Pipelines") on the tracer provider and .AddMeter("Pipelines") on the meter provider, or
// watch the counters live with: dotnet-counters monitor --counters Pipelines -n <process>
// Usage: dotnet run --project samples/OpenTelemetry
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipelines;
using Pipelines.Diagnostics;

using var source = new ActivitySource("OpenTelemetrySample");
ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("pipelines-sample");
using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(source.Name)
    .AddSource(PipelinesTelemetry.ActivitySourceName)   // "Pipelines"
    .AddConsoleExporter()
    .Build();
using MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(PipelinesTelemetry.MeterName)              // "Pipelines"
    .AddConsoleExporter()
    .Build();

await using (var executor = new ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "ingest"))
{
    using Activity? ingest = source.StartActivity("ingest");
    Future<int> a = executor.SubmitWordCount(executor.SubmitDownload("https://example.test/a"));
    Future<int> b = executor.SubmitWordCount(executor.SubmitDownload("https://example.test/b"));
    Future<int> total = executor.SubmitTotal(a, b);
    Console.WriteLine($"total words: {await total}");
    metrics.ForceFlush(); // while the pool is up, so its observable instruments (workers busy and idle, queue length) are read too
}

tracing.ForceFlush();
return 0;

/// <summary>The pipeline's steps.</summary>
public static partial class Ingest
{
    /// <summary>Stands for an HTTP download (no network here).</summary>
    [Submittable]
    public static async Task<string> Download(string url, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        return $"the page at {url} has a few words on it";
    }

    /// <summary>Counts the words of a text.</summary>
    [Submittable]
    public static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Adds two counts.</summary>
    [Submittable]
    public static int Total(int a, int b) => a + b;
}
