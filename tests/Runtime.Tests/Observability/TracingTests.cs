using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

/// <summary>The spans a small pipeline produces. Listeners are process-wide: these tests run alone.</summary>
[Collection(nameof(ProcessWide))]
public class TracingTests
{
    [Fact]
    public void EachCallGetsASpanChildOfTheSubmitterLinkedToItsArguments()
    {
        using var recorder = new SpanRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "trace-" + Guid.NewGuid().ToString("N"));
        using var root = new Activity("test-root").Start();

        Future<int> a = new LoadCall(pool, _ => 1);
        Future<int> b = new LoadCall(pool, _ => 2);
        Future<int> c = new AddCall(pool, v => v[0] + v[1], a, b);
        Assert.Equal(3, c.GetResult(Wait.Long));
        root.Stop();

        List<Activity> spans = SpansOf(recorder, pool, expected: 3);
        Assert.Equal(3, spans.Count);
        Assert.Equal(new[] { "Demo.Add", "Demo.Load", "Demo.Load" }, spans.Select(s => s.DisplayName).Order());
        foreach (Activity span in spans)
        {
            Assert.Equal(root.TraceId, span.TraceId);
            Assert.Equal(root.SpanId, span.ParentSpanId);
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.Equal(pool.Name, span.GetTagItem(PipelinesTelemetry.ExecutorTag));
            Assert.Equal("succeeded", span.GetTagItem(PipelinesTelemetry.OutcomeTag));
            Assert.IsType<double>(span.GetTagItem(PipelinesTelemetry.QueueWaitTag));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }

        Activity add = spans.Single(s => s.DisplayName == "Demo.Add");
        Assert.Equal("Demo.Add", add.GetTagItem(PipelinesTelemetry.MethodTag));
        ActivityContext[] loads = spans.Where(s => s.DisplayName == "Demo.Load").Select(s => s.Context).ToArray();
        Assert.Equal(loads.OrderBy(l => l.SpanId.ToHexString()), add.Links.Select(l => l.Context).OrderBy(l => l.SpanId.ToHexString()));
        Assert.All(spans.Where(s => s.DisplayName == "Demo.Load"), s => Assert.Empty(s.Links));
    }

    [Fact]
    public void ASpanCarriesItsCallsLabelAlsoWhenTheCallNeverRan()
    {
        using var recorder = new SpanRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "trace-" + Guid.NewGuid().ToString("N"));
        Future<int> page = new PageCall(pool, "about.md", _ => throw new FormatException("bad"));
        Future<int> skipped = new PageCall(pool, "index.md", v => v[0], page);
        Wait.Done(skipped);
        _ = skipped.GetException();

        List<Activity> spans = SpansOf(recorder, pool, expected: 2);
        Assert.Equal(new[] { "about.md", "index.md" }, spans.Select(s => s.GetTagItem(PipelinesTelemetry.LabelTag)).Order());
        Assert.Null(spans.Single(s => (string?)s.GetTagItem(PipelinesTelemetry.LabelTag) == "index.md").GetTagItem(PipelinesTelemetry.QueueWaitTag));
    }

    [Fact]
    public void InsideACallItsSpanIsCurrentSoWhatItSubmitsIsItsChild()
    {
        using var recorder = new SpanRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "trace-" + Guid.NewGuid().ToString("N"));
        string? innerParent = null;
        Future<int> outer = new LoadCall(pool, _ =>
        {
            Future<int> inner = new LoadCall(pool, _ =>
            {
                innerParent = Activity.Current?.ParentSpanId.ToHexString();
                return 1;
            });
            return inner.GetResult(Wait.Long) + 1;
        });
        Assert.Equal(2, outer.GetResult(Wait.Long));

        List<Activity> spans = SpansOf(recorder, pool, expected: 2);
        Assert.Equal(2, spans.Count);
        Activity outerSpan = spans.Single(s => s.ParentSpanId == default);
        Activity innerSpan = spans.Single(s => s.ParentSpanId != default);
        Assert.Equal(outerSpan.SpanId, innerSpan.ParentSpanId);
        Assert.Equal(outerSpan.TraceId, innerSpan.TraceId);
        Assert.Equal(outerSpan.SpanId.ToHexString(), innerParent);
    }

    [Fact]
    public void FailuresCancellationsAndRetriesAreTagged()
    {
        using var recorder = new SpanRecorder();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "trace-" + Guid.NewGuid().ToString("N"));

        Future<int> boom = new LoadCall(pool, _ => throw new InvalidOperationException("boom"));
        Future<int> dependent = new AddCall(pool, v => v[0] + 1, boom);
        var gate = new Promise<int>();
        Future<int> cancelled = new ParseCall(pool, v => v[0], gate.Future);
        int attempts = 0;
        Future<int> flaky = new FlakyCall(pool, _ => Interlocked.Increment(ref attempts) < 3 ? throw new TimeoutException("again") : 7, retries: 2);

        Wait.Done(dependent);
        Assert.True(cancelled.Cancel());
        gate.SetResult(0);
        Assert.Equal(7, flaky.GetResult(Wait.Long));
        Assert.IsType<InvalidOperationException>(dependent.GetException());

        List<Activity> spans = SpansOf(recorder, pool, expected: 4);
        Activity failed = spans.Single(s => s.DisplayName == "Demo.Load");
        Assert.Equal("faulted", failed.GetTagItem(PipelinesTelemetry.OutcomeTag));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("boom", failed.StatusDescription);
        ActivityEvent exception = Assert.Single(failed.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, exception.Tags.Single(t => t.Key == "exception.type").Value);
        Assert.Null(failed.GetTagItem(PipelinesTelemetry.RanTag));

        Activity propagated = spans.Single(s => s.DisplayName == "Demo.Add");
        Assert.Equal("faulted", propagated.GetTagItem(PipelinesTelemetry.OutcomeTag));
        Assert.Equal(false, propagated.GetTagItem(PipelinesTelemetry.RanTag));
        Assert.Equal(ActivityStatusCode.Error, propagated.Status);
        Assert.Equal(failed.Context, Assert.Single(propagated.Links).Context);
        Assert.Equal(default, propagated.ParentSpanId); // submitted outside any span, though it ended inside the failed call's

        Activity cancelledSpan = spans.Single(s => s.DisplayName == "Demo.Parse");
        Assert.Equal("cancelled", cancelledSpan.GetTagItem(PipelinesTelemetry.OutcomeTag));
        Assert.Equal(false, cancelledSpan.GetTagItem(PipelinesTelemetry.RanTag));
        Assert.Equal(ActivityStatusCode.Unset, cancelledSpan.Status);

        Activity retried = spans.Single(s => s.DisplayName == "Demo.Flaky");
        Assert.Equal("succeeded", retried.GetTagItem(PipelinesTelemetry.OutcomeTag));
        Assert.Equal(2, retried.GetTagItem(PipelinesTelemetry.RetriesTag));
        Assert.Equal(new object?[] { 2, 3 }, retried.Events.Where(e => e.Name == "pipelines.retry").Select(e => e.Tags.Single().Value));
    }

    [Fact]
    public void ASubmittersCurrentSpanIsLeftAloneByCallsCompletingOnItsThread()
    {
        using var recorder = new SpanRecorder();
        using var inline = new InlineExecutor("trace-inline-" + Guid.NewGuid().ToString("N"));
        using var root = new Activity("test-root").Start();
        var gate = new Promise<int>();
        Future<int> later = new AddCall(inline, v => v[0] + 1, gate.Future);
        Future<int> now = new LoadCall(inline, _ => 1);
        Assert.Same(root, Activity.Current);
        Assert.True(later.Cancel());
        Assert.Same(root, Activity.Current);
        gate.SetResult(1);
        Assert.Equal(1, now.GetResult());
        Assert.Equal(2, SpansOf(recorder, inline).Count);
    }

    [Fact]
    public void NothingIsRecordedWhileNobodyListens()
    {
        Telemetry.Refresh();
        Assert.False(Telemetry.IsEnabled);
        using var pool = new ThreadPoolExecutor(1);
        Future<int> call = new LoadCall(pool, _ => 1);
        Wait.Done(call);
        Assert.Null(CallRecord.Find(call));
        Assert.Equal(default, PipelinesTelemetry.GetActivityContext(call));
    }

    [Fact]
    public void ARemoteExecutorGetsTheCallsSpanContextToSendAlong()
    {
        using var recorder = new SpanRecorder();
        using var root = new Activity("test-root").Start();
        var remote = new EchoRemoteExecutor("trace-remote-" + Guid.NewGuid().ToString("N"));
        Future<int> call = new RemotableCall(remote, 1, 2);
        Assert.Equal(3, call.GetResult(Wait.Long));
        root.Stop();

        Activity span = Assert.Single(SpansOf(recorder, remote));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("Numbers.Sum", span.DisplayName);
        Assert.Equal(root.SpanId, span.ParentSpanId);
        Assert.Equal(span.Context, remote.SentContext);
        Assert.Equal($"00-{span.TraceId}-{span.SpanId}-01", remote.SentTraceParent);

        using Activity? worker = PipelinesTelemetry.StartRemoteActivity("M:Demo.Numbers.Sum(System.Int32,System.Int32)", remote.SentTraceParent);
        Assert.NotNull(worker);
        Assert.Equal(span.TraceId, worker.TraceId);
        Assert.Equal(span.SpanId, worker.ParentSpanId);
        Assert.Equal("Numbers.Sum", worker.DisplayName);
        Assert.Same(worker, Activity.Current);
    }

    /// <summary>
    /// The spans <paramref name="executor"/>'s calls stopped, once there are <paramref name="expected"/> of them: a call's
    /// span stops just after its state is published, so a thread that saw the state may look before the span has stopped
    /// (the wait gives up only on a hang, after 30 s, and the test's own asserts then say what is missing).
    /// </summary>
    private static List<Activity> SpansOf(SpanRecorder recorder, Executor executor, int expected = 0)
    {
        List<Activity> Current() => recorder.Stopped.Where(s => Equals(s.GetTagItem(PipelinesTelemetry.ExecutorTag), executor.Name)).ToList();
        SpinWait.SpinUntil(() => Current().Count >= expected, TimeSpan.FromSeconds(30));
        return Current();
    }

    /// <summary>A remote executor that "sends" each call with its trace context and runs it right here.</summary>
    private sealed class EchoRemoteExecutor(string name) : Remoting.RemoteExecutor(name)
    {
        public ActivityContext SentContext { get; private set; }

        public string? SentTraceParent { get; private set; }

        protected override void Dispatch(Remoting.IRemoteWorkItem item)
        {
            if (!item.TryStart())
            {
                return;
            }

            SentContext = PipelinesTelemetry.GetActivityContext(item.Future);
            SentTraceParent = Telemetry.TraceContextOf(item.Future).TraceParent;
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                item.Call!.WriteArguments(writer, System.Text.Json.JsonSerializerOptions.Default);
            }

            int[] values = System.Text.Json.JsonSerializer.Deserialize<int[]>(buffer.WrittenSpan)!;
            item.SetResult(System.Text.Encoding.UTF8.GetBytes((values[0] + values[1]).ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Text.Json.JsonSerializerOptions.Default);
        }
    }
}
