using System;
using System.Diagnostics;
using System.Threading;

namespace Pipelines.Diagnostics;

/// <summary>
/// Where the runtime reports a call's life to tracing, metrics and graphs. Each hook is one static read when nothing
/// listens: the core calls them behind <see cref="IsEnabled"/>.
/// </summary>
/// <remarks>
/// <para><b>What turns it on.</b> <see cref="IsEnabled"/> is true while any of these holds: an
/// <see cref="ActivityListener"/> listens to the "Pipelines" <see cref="ActivitySource"/>; a <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// (dotnet-counters, OpenTelemetry, a test) has enabled one of the "Pipelines" instruments; a graph recording
/// (<see cref="Futures.RecordGraph"/>) is open. Progress (<see cref="Futures.Progress"/>)
/// needs none of it: it watches the futures it is given.</para>
/// <para><b>How it notices.</b> .NET tells an <see cref="ActivitySource"/> or an instrument nothing when a listener
/// arrives, so the runtime looks: when the source and the meter are created (the first call submitted in the process,
/// so a listener set up at startup is seen at once), when a graph recording opens or closes, on
/// <see cref="PipelinesTelemetry.Refresh"/>, and once a second on a timer. A listener attached later is seen within a
/// second; calls submitted before that are not traced. Listeners that leave are noticed the same way. The AppContext
/// switch <c>Pipelines.Telemetry</c> set to false keeps it off for good (no timer, no source, no meter).</para>
/// <para><b>Per call.</b> Only calls submitted while it is on get a <see cref="CallRecord"/>, kept in a side table
/// keyed by the call (the call object does not grow); every other hook finds no record and returns. When it turns off
/// while calls are in flight, their spans are never ended (nobody listens to them any more) and their records go
/// with the calls.</para>
/// </remarks>
internal static class Telemetry
{
    /// <summary>True while anything listens (see the remarks). Read by the core before each hook.</summary>
    public static volatile bool IsEnabled;

    private const int PollMilliseconds = 1000;

    private static readonly object s_gate = new();
    private static readonly bool s_allowed = !(AppContext.TryGetSwitch("Pipelines.Telemetry", out bool allowed) && !allowed);
    private static readonly Timer? s_poll;
    private static int s_graphRecordings;

    [ThreadStatic]
    private static Delegate? t_announced;

    static Telemetry()
    {
        if (!s_allowed)
        {
            return;
        }

        // The source and the instruments exist from now on, so listeners set up earlier find them as they are made.
        Tracing.Initialize();
        Metrics.Initialize();
        Refresh();
        using (ExecutionContext.SuppressFlow())
        {
            // Suppressed: the timer must not keep the AsyncLocal values of whoever submitted first alive forever.
            s_poll = new Timer(static _ => Refresh(), null, PollMilliseconds, PollMilliseconds);
        }
    }

    /// <summary>True while a graph recording is open: calls submitted now keep their argument edges.</summary>
    public static bool RecordingGraph => Volatile.Read(ref s_graphRecordings) > 0;

    /// <summary>Looks for listeners now and turns the hooks on or off.</summary>
    public static void Refresh()
    {
        if (!s_allowed)
        {
            return;
        }

        lock (s_gate)
        {
            // Under the lock: a timer tick that looked before a recording opened must not switch it off after.
            bool on = Volatile.Read(ref s_graphRecordings) > 0 || Tracing.IsListened || Metrics.IsListened;
            if (IsEnabled != on)
            {
                IsEnabled = on;
            }
        }
    }

    public static void BeginGraphRecording()
    {
        Interlocked.Increment(ref s_graphRecordings);
        Refresh();
    }

    public static void EndGraphRecording()
    {
        Interlocked.Decrement(ref s_graphRecordings);
        Refresh();
    }

    /// <summary>A delegate call is about to be accepted: its delegate names it (see <c>DelegateCalls</c>).</summary>
    public static void AnnounceDelegate(Delegate function) => t_announced = function;

    /// <summary>A call was accepted by its executor (on the submitting thread, before its arguments are stored).</summary>
    public static void CallSubmitted(Future call)
    {
        Delegate? announced = t_announced;
        t_announced = null;
        if (call.OwnerExecutor is not { } executor)
        {
            return;
        }

        // An announced delegate names only a delegate call: one announced for a submit that was then refused is stale.
        CallName name = announced is not null && call is IDelegateCall ? CallNames.OfDelegate(announced) : CallNames.Of(call);
        var record = new CallRecord(call, name, executor, Stopwatch.GetTimestamp()) { KeepsEdges = RecordingGraph };
        Tracing.OnSubmitted(record);
        Metrics.OnSubmitted(record);
    }

    /// <summary>A call will wait for <paramref name="argument"/> (a future argument, pending or done).</summary>
    public static void ArgumentAdded(Future call, Future argument) => CallRecord.Find(call)?.AddArgument(argument);

    /// <summary>A call started running (on the thread that runs it, or on the thread that sent it to a remote executor).</summary>
    public static void CallStarted(Future call)
    {
        if (CallRecord.Find(call) is not { } record)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        int run = ++record.Runs;
        if (run > 1)
        {
            Tracing.OnRetry(record, run);
            Metrics.OnRetried(record);
            return;
        }

        // Ready to run when the last of its arguments completed (or at submit): the wait since then is queue wait.
        long ready = record.SubmittedAt;
        Future[] arguments = record.Arguments();
        foreach (Future argument in arguments)
        {
            if (CallRecord.Find(argument) is { } input && input.EndedAt is long ended && ended > ready && ended <= now)
            {
                ready = ended;
            }
        }

        record.QueueWait = now - ready;
        record.StartedAt = now;
        Tracing.OnStarted(record, arguments);
        Metrics.OnStarted(record);
        if (!record.KeepsEdges)
        {
            record.DropArguments();
        }
    }

    /// <summary>
    /// The call's body is about to run, inside the call's <see cref="ExecutionContext"/> (every run, retries included):
    /// its span becomes <see cref="Activity.Current"/> there, so what the body starts is a child of it.
    /// </summary>
    public static void EnterBody(Future call)
    {
        if (CallRecord.Find(call) is { Traced: true } record)
        {
            Tracing.Enter(record);
        }
    }

    /// <summary>A call reached its terminal state (before its continuations run and before it releases its arguments).</summary>
    public static void CallCompleted(Future call)
    {
        if (CallRecord.Find(call) is not { } record)
        {
            return;
        }

        record.EndedAt = Stopwatch.GetTimestamp();
        FutureState state = call.State;
        Metrics.OnCompleted(record, state);
        Tracing.OnCompleted(record, state, state == FutureState.Faulted ? call.ExceptionHolder?.Exception : null);
        if (!record.KeepsEdges)
        {
            record.DropArguments();
        }
    }

    /// <summary>The W3C <c>traceparent</c> and <c>tracestate</c> of a started call's span, for a remote executor to send along; nulls when it is not traced.</summary>
    public static (string? TraceParent, string? TraceState) TraceContextOf(Future call)
    {
        if (!IsEnabled || CallRecord.Find(call) is not { Traced: true } record)
        {
            return (null, null);
        }

        ActivityContext context = Tracing.EnsureRemote(record);
        if (context == default)
        {
            return (null, null);
        }

        return (Tracing.FormatTraceParent(context), context.TraceState);
    }
}
