using System;
using System.Collections.Generic;
using System.Diagnostics;
using Pipelines.Remoting;

namespace Pipelines.Diagnostics;

/// <summary>
/// The "Pipelines" <see cref="ActivitySource"/>: one span per call submitted while a listener listens.
/// </summary>
/// <remarks>
/// <para>A span is named by the call's method (<c>Jobs.Add</c>); its parent is the submitter's
/// <see cref="Activity.Current"/> at submit; it links to the spans of the call's argument futures (the data it was
/// waiting for); it starts when the call first runs and ends when the call completes, tagged with the executor, the
/// queue wait, the outcome and the retries. A local call's span is <see cref="Activity.Current"/> inside the call, so
/// calls it submits and spans it starts are its children. A call that never ran (cancelled, or failed because an
/// argument failed) still gets a span, of no length, tagged <c>pipelines.ran = false</c>.</para>
/// <para>A remote executor's call gets its span when the executor asks for its context to send along
/// (<see cref="PipelinesTelemetry.GetActivityContext"/>), or when it completes; the worker continues the trace with a
/// child span (<see cref="StartRemoteSpan"/>).</para>
/// <para><see cref="Activity.Start"/> makes the span current and <see cref="Activity.Stop"/> makes the span that was
/// current at its start current again, on whatever thread calls them. Outside a call's own body both are wrapped so
/// the thread's <see cref="Activity.Current"/> is left as it was.</para>
/// </remarks>
internal static class Tracing
{
    public static readonly ActivitySource Source = new(PipelinesTelemetry.ActivitySourceName, PipelinesTelemetry.Version);

    /// <summary>True while some listener listens to the source.</summary>
    public static bool IsListened => Source.HasListeners();

    /// <summary>Creates the source (type initialization), so listeners attached earlier see it.</summary>
    public static void Initialize() => GC.KeepAlive(Source);

    public static void OnSubmitted(CallRecord record)
    {
        if (Source.HasListeners())
        {
            record.Traced = true;
            record.Parent = Activity.Current?.Context ?? default;
        }
    }

    /// <summary>The first run starts: work out the links to the arguments' spans (they are done by now, unless resolved remotely).</summary>
    public static void OnStarted(CallRecord record, Future[] arguments)
    {
        if (!record.Traced || arguments.Length == 0)
        {
            return;
        }

        List<ActivityLink>? links = null;
        foreach (Future argument in arguments)
        {
            if (CallRecord.Find(argument) is { } input && input.Context is var context && context != default
                && (links is null || !links.Exists(l => l.Context == context)))
            {
                (links ??= new List<ActivityLink>(arguments.Length)).Add(new ActivityLink(context));
            }
        }

        record.Links = links?.ToArray();
    }

    /// <summary>Inside the call's body: open its span (current from now on in the call's context), or make it current again on a retry.</summary>
    public static void Enter(CallRecord record)
    {
        Activity? activity;
        lock (record.Gate)
        {
            if (!record.Opened)
            {
                Start(record, ActivityKind.Internal, default);
                return;
            }

            activity = record.Activity;
        }

        if (activity is { IsStopped: false })
        {
            Activity.Current = activity;
        }
    }

    public static void OnRetry(CallRecord record, int run)
    {
        Activity? activity = record.Activity;
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddEvent(new ActivityEvent("pipelines.retry", tags: new ActivityTagsCollection { { PipelinesTelemetry.AttemptTag, run } }));
        }
    }

    /// <summary>A remote call's span context, opening the span if the call has started and has none yet.</summary>
    public static ActivityContext EnsureRemote(CallRecord record)
    {
        lock (record.Gate)
        {
            if (!record.Opened && record.StartedAt != 0)
            {
                StartDetached(record, ActivityKind.Client, TimeOf(record.StartedAt));
            }

            return record.Context;
        }
    }

    public static void OnCompleted(CallRecord record, FutureState state, Exception? exception)
    {
        if (!record.Traced)
        {
            return;
        }

        Activity? activity;
        lock (record.Gate)
        {
            if (!record.Opened)
            {
                // Never ran here: a call that failed or was cancelled before it started, or a remote call nobody asked about.
                if (record.Runs == 0)
                {
                    OnStarted(record, record.Arguments()); // its links: to the argument that failed or was cancelled, among others
                }

                ActivityKind kind = record.Runs > 0 && record.Executor is RemoteExecutor ? ActivityKind.Client : ActivityKind.Internal;
                StartDetached(record, kind, record.StartedAt != 0 ? TimeOf(record.StartedAt) : default);
            }

            activity = record.Activity;
            record.Activity = null; // only its context is kept, for the links of dependents
        }

        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(PipelinesTelemetry.OutcomeTag, Metrics.OutcomeName(state));
            if (record.Runs > 1)
            {
                activity.SetTag(PipelinesTelemetry.RetriesTag, record.Runs - 1);
            }
            else if (record.Runs == 0)
            {
                activity.SetTag(PipelinesTelemetry.RanTag, false);
            }

            if (exception is not null)
            {
                RecordException(activity, exception);
            }
        }

        Stop(activity);
    }

    /// <summary>
    /// In a worker (a process pool's, or any remote executor's): a span that continues the caller's trace, current until
    /// disposed. Without a listener in the worker it is a plain <see cref="Activity"/> that carries the trace context (log
    /// scopes, outgoing HTTP calls), reported to nobody. Null when no trace context came with the call.
    /// </summary>
    public static Activity? StartRemoteSpan(string name, string? traceParent, string? traceState)
    {
        if (traceParent is null || !ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext parent))
        {
            return null;
        }

        Activity? activity = Source.HasListeners() ? Source.StartActivity(name, ActivityKind.Server, parent) : null;
        if (activity is null)
        {
            activity = new Activity(name);
            activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            activity.TraceStateString = traceState;
            activity.Start();
        }

        return activity;
    }

    /// <summary>Ends a worker's span, marking it failed with <paramref name="exception"/> if the call threw.</summary>
    public static void EndRemoteSpan(Activity activity, Exception? exception)
    {
        if (exception is not null && activity.IsAllDataRequested)
        {
            RecordException(activity, exception);
        }

        activity.Stop();
    }

    /// <summary>The W3C <c>traceparent</c> header of <paramref name="context"/>.</summary>
    public static string FormatTraceParent(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>Opens the call's span on this thread, which it becomes current on (what a call's own body wants).</summary>
    private static void Start(CallRecord record, ActivityKind kind, DateTimeOffset startTime)
    {
        record.Opened = true;
        Activity? activity = Source.StartActivity(record.Name.Qualified, kind, record.Parent, tags: null, links: record.Links, startTime: startTime);
        if (activity is null)
        {
            return; // not sampled
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(PipelinesTelemetry.MethodTag, record.Name.Qualified);
            activity.SetTag(PipelinesTelemetry.ExecutorTag, record.Executor.Name);
            if (record.Label is { } label)
            {
                activity.SetTag(PipelinesTelemetry.LabelTag, label);
            }

            if (record.StartedAt != 0)
            {
                activity.SetTag(PipelinesTelemetry.QueueWaitTag, Stopwatch.GetElapsedTime(0, record.QueueWait).TotalMilliseconds);
            }
        }

        record.Context = activity.Context;
        record.Activity = activity;
    }

    /// <summary>Opens the call's span without changing this thread's current span (a dispatching or completing thread).</summary>
    private static void StartDetached(CallRecord record, ActivityKind kind, DateTimeOffset startTime)
    {
        Activity? current = Activity.Current;
        if (current is not null)
        {
            // The span's parent is the one captured at submit; with none, StartActivity would take this thread's instead.
            Activity.Current = null;
        }

        Start(record, kind, startTime);
        if (Activity.Current != current)
        {
            Activity.Current = current;
        }
    }

    /// <summary>Ends a span without changing this thread's current span, unless the span itself is current (a call's own body).</summary>
    private static void Stop(Activity activity)
    {
        Activity? current = Activity.Current;
        activity.Stop();
        if (current != activity && Activity.Current != current)
        {
            Activity.Current = current;
        }
    }

    /// <summary>OpenTelemetry's convention: status Error with the message, and an <c>exception</c> event.</summary>
    private static void RecordException(Activity activity, Exception exception)
    {
        string type = exception.GetType().FullName ?? exception.GetType().Name;
        string message = Safe(() => exception.Message) ?? type;
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", type },
            { "exception.message", message },
            { "exception.stacktrace", Safe(exception.ToString) },
        }));
    }

    private static string? Safe(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return null; // user code (an exception's Message or ToString) must not break a completing call
        }
    }

    private static DateTimeOffset TimeOf(long timestamp) => DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(timestamp);
}
