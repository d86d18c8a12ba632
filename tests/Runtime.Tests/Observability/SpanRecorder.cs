using System;
using System.Diagnostics;
using System.Threading;

namespace Pipelines.Tests.Observability;

/// <summary>Listens to the "Pipelines" source and records every span that ends, until disposed.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Pipelines",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
        Diagnostics.Telemetry.Refresh();
    }

    public System.Collections.Concurrent.ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose()
    {
        _listener.Dispose();
        Diagnostics.Telemetry.Refresh();
    }
}
