using System;
using System.Diagnostics;

namespace Pipelines.Diagnostics;

/// <summary>
/// How Pipelines reports to .NET's tracing and metrics: the names to listen to, the tags, and what remote executors
/// use to carry a trace to where a call runs.
/// </summary>
/// <remarks>
/// <para>Tracing: <c>tracerProviderBuilder.AddSource("Pipelines")</c>, or an <see cref="ActivityListener"/> on the
/// source named <see cref="ActivitySourceName"/>. Each call submitted while something listens gets a span named by its
/// method, child of the submitter's <see cref="Activity.Current"/>, with links to the spans of its argument futures.</para>
/// <para>Metrics: <c>meterProviderBuilder.AddMeter("Pipelines")</c>, or <c>dotnet-counters monitor --counters Pipelines</c>.
/// Counters and histograms carry the tags <see cref="ExecutorTag"/> and <see cref="MethodTag"/>; the observable ones
/// <see cref="ExecutorTag"/> only.</para>
/// <para>Nothing is recorded, and each call pays one static read per hook, while nobody listens. The runtime notices a
/// listener when the first call of the process is submitted and once a second after that; <see cref="Refresh"/> makes
/// it look at once.</para>
/// </remarks>
public static class PipelinesTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/>: <c>"Pipelines"</c>.</summary>
    public const string ActivitySourceName = "Pipelines";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>"Pipelines"</c>.</summary>
    public const string MeterName = "Pipelines";

    /// <summary>Counter: calls accepted by an executor (<c>{call}</c>).</summary>
    public const string CallsSubmitted = "pipelines.calls.submitted";

    /// <summary>Counter: calls that reached a terminal state, tagged with <see cref="OutcomeTag"/> (<c>{call}</c>).</summary>
    public const string CallsCompleted = "pipelines.calls.completed";

    /// <summary>Counter: calls that faulted, because they threw or an argument future faulted (<c>{call}</c>).</summary>
    public const string CallsFaulted = "pipelines.calls.faulted";

    /// <summary>Counter: calls that were cancelled (<c>{call}</c>).</summary>
    public const string CallsCancelled = "pipelines.calls.cancelled";

    /// <summary>Counter: runs of a call started again after it threw (<c>[Submittable(Retries = n)]</c>), one per rerun (<c>{call}</c>).</summary>
    public const string CallsRetried = "pipelines.calls.retried";

    /// <summary>Observable up-down counter: calls accepted and not yet finished, per executor (<c>{call}</c>).</summary>
    public const string CallsActive = "pipelines.calls.active";

    /// <summary>Histogram: seconds from when a call was ready to run (arguments done, or submitted) to its first start.</summary>
    public const string CallQueueWait = "pipelines.call.queue_wait";

    /// <summary>Histogram: seconds from a call's first start to its completion, retries included.</summary>
    public const string CallDuration = "pipelines.call.duration";

    /// <summary>Observable up-down counter: calls queued and not yet picked up by a worker, per thread pool (<c>{call}</c>).</summary>
    public const string QueueLength = "pipelines.queue.length";

    /// <summary>Observable up-down counter: worker threads alive and not parked (running calls, helping, or about to look for work), per thread pool (<c>{thread}</c>).</summary>
    public const string WorkersBusy = "pipelines.workers.busy";

    /// <summary>Observable up-down counter: worker threads parked and waiting for work, per thread pool (<c>{thread}</c>).</summary>
    public const string WorkersIdle = "pipelines.workers.idle";

    /// <summary>Tag (metrics and spans): the executor's <see cref="Executor.Name"/>.</summary>
    public const string ExecutorTag = "pipelines.executor";

    /// <summary>Tag (metrics and spans): the call's method with its declaring type, e.g. <c>Jobs.Add</c>; <c>lambda in Main</c> for a submitted lambda.</summary>
    public const string MethodTag = "pipelines.method";

    /// <summary>Span tag: the call's label (<c>[Submittable(Label = …)]</c>, by default its first simple argument), e.g. <c>about.md</c>; absent when it has none.</summary>
    public const string LabelTag = "pipelines.label";

    /// <summary>Tag (the completed counter and spans): <c>succeeded</c>, <c>faulted</c> or <c>cancelled</c>.</summary>
    public const string OutcomeTag = "pipelines.outcome";

    /// <summary>Span tag: milliseconds the call waited, ready to run, before its first start.</summary>
    public const string QueueWaitTag = "pipelines.queue_wait_ms";

    /// <summary>Span tag: how many times the call was run again after throwing (<c>[Submittable(Retries = n)]</c>); absent when none.</summary>
    public const string RetriesTag = "pipelines.retries";

    /// <summary>Span tag: <see langword="false"/> on the span of a call that never ran (cancelled first, or an argument failed).</summary>
    public const string RanTag = "pipelines.ran";

    /// <summary>Tag of the <c>pipelines.retry</c> span event: which run (2 for the first retry).</summary>
    public const string AttemptTag = "pipelines.attempt";

    /// <summary>The version the source and the meter report: the runtime assembly's.</summary>
    internal static readonly string? Version = typeof(PipelinesTelemetry).Assembly.GetName().Version?.ToString(3);

    /// <summary>True while something listens to the source or the meter, a graph is being recorded, or a <see cref="PipelineMonitor"/> is open.</summary>
    public static bool IsEnabled => Telemetry.IsEnabled;

    /// <summary>
    /// Looks for listeners now. The runtime looks by itself once a second (and when the first call is submitted); call
    /// this right after attaching an <see cref="ActivityListener"/> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>
    /// for the calls submitted next to be traced and counted without that delay.
    /// </summary>
    public static void Refresh() => Telemetry.Refresh();

    /// <summary>
    /// The span context of a call (<see cref="ActivityContext"/>), for an executor that runs calls elsewhere to send
    /// along (as a W3C <c>traceparent</c>), so that the span continues where the call runs. A started call that has no
    /// span yet gets one now, beginning when the call started. Default when the call is not traced: it was submitted
    /// while nothing listened, or a sampler declined it.
    /// </summary>
    /// <param name="call">A call of the executor; usually <see cref="Remoting.IRemoteWorkItem.Future"/> after
    /// <see cref="Remoting.IRemoteWorkItem.TryStart"/> returned true.</param>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is null.</exception>
    public static ActivityContext GetActivityContext(Future call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Telemetry.IsEnabled && CallRecord.Find(call) is { Traced: true } record ? Tracing.EnsureRemote(record) : default;
    }

    /// <summary>
    /// Where a call sent by a remote executor runs: starts the span that continues the caller's trace, current until it
    /// is disposed. Without a listener there it is still started, unrecorded, so that logs and outgoing calls carry the
    /// trace. Null when <paramref name="traceParent"/> is null or not a valid W3C <c>traceparent</c>.
    /// </summary>
    /// <param name="method">The span's name: the method, e.g. <c>Jobs.Add</c> (a documentation ID such as
    /// <c>M:Demo.Jobs.Add(System.Int32)</c> is shortened to that).</param>
    /// <param name="traceParent">The W3C <c>traceparent</c> sent with the call.</param>
    /// <param name="traceState">The W3C <c>tracestate</c> sent with it, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> is null.</exception>
    public static Activity? StartRemoteActivity(string method, string? traceParent, string? traceState = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Tracing.StartRemoteSpan(CallNames.FromDocumentationId(method)?.Qualified ?? method, traceParent, traceState);
    }

    /// <summary>
    /// Ends a span that <see cref="StartRemoteActivity"/> started, when the call has returned or thrown: a call that threw
    /// marks it failed as OpenTelemetry's conventions say (status Error with the message, and an <c>exception</c> event
    /// with the type, message and stack trace).
    /// </summary>
    /// <param name="activity">The span <see cref="StartRemoteActivity"/> returned.</param>
    /// <param name="exception">What the call threw; null when it returned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="activity"/> is null.</exception>
    public static void EndRemoteActivity(Activity activity, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Tracing.EndRemoteSpan(activity, exception);
    }
}
