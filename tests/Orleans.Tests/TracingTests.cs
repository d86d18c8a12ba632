using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Pipelines.Diagnostics;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>
/// Tracing on a cluster: a traced call's span continues on the silo that runs it. The test silos run in this process,
/// so one listener sees the client's spans and the silo's.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class TracingTests(SharedCluster shared)
{
    [Fact]
    public async Task TheSiloSpanContinuesTheClientCallSpanAndTheMethodsSpansAreInTheTrace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using (var listener = new ActivityListener
        {
            // By name: Hooks.Source itself may be the source being created when this runs (its type is initialized late).
            ShouldListenTo = source => source.Name is PipelinesTelemetry.ActivitySourceName or Hooks.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        })
        {
            ActivitySource.AddActivityListener(listener);
            PipelinesTelemetry.Refresh();
            await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
            string key = $"traced-{Guid.NewGuid():N}";

            string? traceInside;
            ActivityContext request;
            using (Activity root = Hooks.Source.StartActivity("request " + key)!)
            {
                request = root.Context;
                traceInside = await Wait.Bounded(executor.SubmitTraced(key).AsTask(), "Traced");
            }

            Activity inside = await Eventually(stopped, a => a.DisplayName == "inside " + key, "the method's own span");
            Activity server = await Eventually(stopped, a => a.Kind == ActivityKind.Server && a.TraceId == inside.TraceId, "the silo's span");
            Activity client = await Eventually(stopped, a => a.Kind == ActivityKind.Client && a.SpanId == server.ParentSpanId, "the client's call span");

            // One trace from the test's request through the client's call span to the silo and the method's own span.
            Assert.Equal(request.TraceId, client.TraceId);
            Assert.Equal(request.SpanId, client.ParentSpanId);
            Assert.Equal(PipelinesTelemetry.ActivitySourceName, client.Source.Name);
            Assert.Equal("Jobs.Traced", client.DisplayName);
            Assert.Equal(PipelinesTelemetry.ActivitySourceName, server.Source.Name);
            Assert.Equal("Jobs.Traced", server.DisplayName);
            Assert.Equal(client.TraceId, server.TraceId);
            Assert.Equal(client.SpanId, server.ParentSpanId);
            Assert.Equal(client.TraceId.ToHexString(), traceInside);
            Assert.Contains(server.SpanId, Ancestors(inside, stopped)); // under the silo's span (through its worker pool's)

            // A method that throws marks its silo span failed, as OpenTelemetry expects.
            ActivityTraceId failedTrace;
            using (Activity root = Hooks.Source.StartActivity("failing " + key)!)
            {
                failedTrace = root.TraceId;
                await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Bounded(executor.SubmitFail("traced boom").AsTask(), "Fail"));
            }

            Activity failed = await Eventually(stopped, a => a.Kind == ActivityKind.Server && a.TraceId == failedTrace, "the failed call's silo span");
            Assert.Equal("Jobs.Fail", failed.DisplayName);
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal("traced boom", failed.StatusDescription);
            Assert.Contains(failed.Events, e => e.Name == "exception");
        }

        PipelinesTelemetry.Refresh();
    }

    [Fact]
    public async Task WithoutAListenerNothingIsSentAndTheMethodRunsOutsideAnyTrace()
    {
        PipelinesTelemetry.Refresh(); // no listener in this process now
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);

        // A trace context sent with the call would make the silo start a span even with nobody listening there.
        Assert.Null(await Wait.Bounded(executor.SubmitTraced($"untraced-{Guid.NewGuid():N}").AsTask(), "Traced"));
    }

    private static async Task<Activity> Eventually(ConcurrentQueue<Activity> stopped, Func<Activity, bool> match, string what)
    {
        DateTime deadline = DateTime.UtcNow + Wait.Long;
        while (DateTime.UtcNow < deadline)
        {
            if (stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Hung: {what} never ended.");
    }

    private static IEnumerable<ActivitySpanId> Ancestors(Activity activity, IEnumerable<Activity> all)
    {
        Dictionary<ActivitySpanId, Activity> bySpan = all.GroupBy(a => a.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (ActivitySpanId parent = activity.ParentSpanId; parent != default; parent = bySpan.TryGetValue(parent, out Activity? next) ? next.ParentSpanId : default)
        {
            yield return parent;
        }
    }
}
