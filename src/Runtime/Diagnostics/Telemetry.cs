using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
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
/// (<see cref="Futures.RecordGraph"/>) is open — those three record every call (<see cref="RecordsEveryCall"/>); a
/// <see cref="PipelineMonitor"/> is open, which counts calls on per-thread lanes and keeps a record of a sample only
/// (<see cref="Monitoring"/>). Progress (<see cref="Futures.Progress"/>) needs none of it: it watches the futures it is given.</para>
/// <para><b>How it notices.</b> .NET tells an <see cref="ActivitySource"/> or an instrument nothing when a listener
/// arrives, so the runtime looks: when the source and the meter are created (the first call submitted in the process,
/// so a listener set up at startup is seen at once), when a graph recording opens or closes, on
/// <see cref="PipelinesTelemetry.Refresh"/>, and once a second on a timer. A listener attached later is seen within a
/// second; calls submitted before that are not traced. Listeners that leave are noticed the same way. The AppContext
/// switch <c>Pipelines.Telemetry</c> set to false keeps it off for good (no timer, no source, no meter).</para>
/// <para><b>Per call.</b> Only calls submitted while every call is recorded (or that a monitor keeps) get a
/// <see cref="CallRecord"/>, kept in the call's object of rare fields (the call object does not grow); every other hook
/// finds no record and returns, after a monitor's count. When it turns off
/// while calls are in flight, their spans are never ended (nobody listens to them any more) and their records go
/// with the calls.</para>
/// </remarks>
internal static class Telemetry
{
    /// <summary>True while anything listens or a monitor is open (see the remarks). Read by the core before each hook.</summary>
    public static volatile bool IsEnabled;

    /// <summary>
    /// True while tracing, metrics or a graph recording wants a <see cref="CallRecord"/> of every call. The core reads it
    /// instead of <see cref="IsEnabled"/> before the hooks only they need (<see cref="EnterBody"/>).
    /// </summary>
    public static volatile bool RecordsEveryCall;

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
            bool everyCall = Volatile.Read(ref s_graphRecordings) > 0 || Tracing.IsListened || Metrics.IsListened;
            if (RecordsEveryCall != everyCall)
            {
                RecordsEveryCall = everyCall;
            }

            bool on = everyCall || Monitoring.IsOn;
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

    /// <summary>
    /// The delegate announced for <paramref name="call"/>, taken (the slot is cleared), or null when it is not a delegate
    /// call: one announced for a submit that was then refused is stale, and names nothing.
    /// </summary>
    public static Delegate? TakeAnnounced(Future call)
    {
        Delegate? announced = t_announced;
        t_announced = null;
        return announced is not null && call is IDelegateCall ? announced : null;
    }

    /// <summary>A call was accepted by its executor (on the submitting thread, before its arguments are stored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CallSubmitted(Future call)
    {
        if (!RecordsEveryCall && call.OwnerExecutor is { } executor)
        {
            Monitoring.OnSubmitted(call, executor); // a monitor alone: its fast path, inlined where the call is made
            return;
        }

        CallSubmittedRecorded(call);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CallSubmittedRecorded(Future call)
    {
        if (call.OwnerExecutor is not { } executor)
        {
            return;
        }

        // With every call recorded, the announced delegate is taken at each submit. A monitor alone takes it only for
        // delegate calls (a generated call pays no thread-static read): a delegate announced for a refused submit then
        // stays until that thread's next delegate call replaces it.
        Delegate? function = null;
        CallRecord? record = null;
        if (RecordsEveryCall)
        {
            function = TakeAnnounced(call);
            CallName name = function is not null ? CallNames.OfDelegate(function) : CallNames.Of(call);
            record = new CallRecord(call, name, executor, Stopwatch.GetTimestamp()) { KeepsEdges = RecordingGraph };
            Tracing.OnSubmitted(record);
            Metrics.OnSubmitted(record);
        }

        if (Monitoring.IsOn)
        {
            Monitoring.OnSubmitted(call, executor, function, ref record);
        }
    }

    /// <summary>A call will wait for <paramref name="argument"/> (a future argument, pending or done).</summary>
    public static void ArgumentAdded(Future call, Future argument)
    {
        CallRecord.Find(call)?.AddArgument(argument);
        if (Monitoring.IsOn)
        {
            Monitoring.OnArgument(call, argument);
        }
    }

    /// <summary>A call started running (on the thread that runs it, or on the thread that sent it to a remote executor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CallStarted(Future call)
    {
        if (CallRecord.Find(call) is { } record)
        {
            CallStarted(call, record); // only calls with a record have anything to do when they start
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CallStarted(Future call, CallRecord record)
    {

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
        if (record.Traced || record.KeepsEdges)
        {
            record.RenderLabel(call); // before its span opens, and while the call holds its arguments
        }

        if (record.Slot is not null)
        {
            Monitoring.OnRecordStarted(call, record);
        }

        Tracing.OnStarted(record, arguments);
        Metrics.OnStarted(record);
        if (!record.KeepsEdges)
        {
            record.DropArguments();
        }
    }

    /// <summary>
    /// A run of <paramref name="call"/> on this thread returned (<paramref name="frames"/> are the thread's): a monitor
    /// counts the call here if it is done now, without looking up the thread's lane (see <see cref="Monitoring.OnRunEnded"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunEnded(Future call, ExecutionFrames frames)
    {
        if (Monitoring.IsOn)
        {
            Monitoring.OnRunEnded(call, frames);
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

    /// <summary>
    /// A future reached its terminal state (before its continuations run and before a call releases its arguments);
    /// <paramref name="ran"/> is false when it completed without running (cancelled, or an argument failed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CallCompleted(Future call, bool ran)
    {
        if (!RecordsEveryCall && call.OwnerExecutor is not null && CallRecord.Find(call) is null)
        {
            if (!ran || call.State == FutureState.Faulted)
            {
                Monitoring.OnCompleted(call, call.State, ran, inFlight: false); // else the run that ended it counts it
            }

            return;
        }

        CallCompletedRecorded(call, ran);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CallCompletedRecorded(Future call, bool ran)
    {
        FutureState state = call.State;
        CallRecord? record = CallRecord.Find(call);
        if (record is not null)
        {
            record.EndedAt = Stopwatch.GetTimestamp();
            if (record.Traced || record.KeepsEdges)
            {
                record.RenderLabel(call); // a call that never started is labelled now, before it lets its arguments go
            }

            Metrics.OnCompleted(record, state);
            Tracing.OnCompleted(record, state, state == FutureState.Faulted ? call.ExceptionHolder?.Exception : null);
            if (record.Slot is not null)
            {
                Monitoring.OnRecordCompleted(call, record, state);
            }

            if (!record.KeepsEdges)
            {
                record.DropArguments();
            }
        }

        if (Monitoring.IsOn && call.OwnerExecutor is not null)
        {
            Monitoring.OnCompleted(call, state, ran, inFlight: record is { InFlight: true });
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
