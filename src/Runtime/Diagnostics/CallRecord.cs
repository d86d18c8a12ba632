using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Pipelines.Diagnostics;

/// <summary>
/// What telemetry knows about one call, kept beside it, never in it (a call stays one small object): in the call's
/// object of rare fields (<c>Future.TelemetryRecord</c>, created on first need like the wait event or the token
/// source), so it lives exactly as long as the call does and is found with a field read. A call has a record only if it
/// was submitted while <see cref="Telemetry.IsEnabled"/> was true.
/// </summary>
/// <remarks>
/// <para>Not a <see cref="System.Runtime.CompilerServices.ConditionalWeakTable{TKey, TValue}"/>: measured at 0.4-2 µs per
/// call to add to, and each of its entries is a dependent handle that every garbage collection walks.</para>
/// <para>Threads: the submitting thread fills it in (constructor, <see cref="AddArgument"/>); the running thread sets the start
/// fields; the completing thread the end fields. Each hand-off between them goes through the executor's queues or the
/// future's completion, which order the writes; the fields read across threads are still read with
/// <see cref="Volatile"/> where a reader may race (a graph drawn while the pipeline runs).</para>
/// </remarks>
internal sealed class CallRecord
{
    private List<Future>? _arguments;
    private long _startedAt;
    private long _endedAt;

    public CallRecord(Future call, CallName name, Executor executor, long submittedAt)
    {
        Name = name;
        Executor = executor;
        SubmittedAt = submittedAt;
        call.TelemetryRecord = this;
    }

    public CallName Name { get; }

    public Executor Executor { get; }

    /// <summary><see cref="Stopwatch"/> timestamp of the submit.</summary>
    public long SubmittedAt { get; }

    /// <summary>The submitter's span, captured at submit: the call's span is its child.</summary>
    public ActivityContext Parent { get; set; }

    /// <summary>True if a listener sampled the call's span at submit (tracing was on).</summary>
    public bool Traced { get; set; }

    /// <summary>True if the call keeps its argument edges for <see cref="PipelineGraph"/> after it starts.</summary>
    public bool KeepsEdges { get; set; }

    /// <summary>Timestamp of the first run's start, or 0 if it never ran.</summary>
    public long StartedAt
    {
        get => Volatile.Read(ref _startedAt);
        set => Volatile.Write(ref _startedAt, value);
    }

    /// <summary>Timestamp of the completion, or 0 while it is not done.</summary>
    public long EndedAt
    {
        get => Volatile.Read(ref _endedAt);
        set => Volatile.Write(ref _endedAt, value);
    }

    /// <summary><see cref="Stopwatch"/> ticks from when the call was ready to run (its last argument done, or its submit) to its first start.</summary>
    public long QueueWait { get; set; }

    /// <summary>How many times the call started running (1 + retries).</summary>
    public int Runs { get; set; }

    /// <summary>True once the span was opened (or the sampler declined it): it is opened once per call.</summary>
    public bool Opened { get; set; }

    /// <summary>The call's span while it is open.</summary>
    public Activity? Activity { get; set; }

    /// <summary>The call's span context, kept after the span ended so dependents can link to it.</summary>
    public ActivityContext Context { get; set; }

    /// <summary>Links to the arguments' spans, worked out when the call first starts.</summary>
    public ActivityLink[]? Links { get; set; }

    /// <summary>The monitor's group of the call, when a <see cref="PipelineMonitor"/> keeps this record (null otherwise).</summary>
    public MethodSlot? Slot { get; set; }

    /// <summary>True if the monitor times the call exactly and draws it as a bar of its own (async calls, remote executors).</summary>
    public bool InFlight { get; set; }

    /// <summary>The call's task-stream bar while it is in flight (see <see cref="InFlight"/>).</summary>
    public MonitorBar? Bar { get; set; }

    /// <summary>
    /// The call's label (<c>[Submittable(Label = …)]</c>), rendered while the call still holds its arguments: at its first
    /// start, or at its completion if it never started. Null until then, or when it has none.
    /// </summary>
    public string? Label { get; set; }

    /// <summary>True once <see cref="Label"/> was rendered (it may be null).</summary>
    public bool Labelled { get; set; }

    /// <summary>The call while it is not done, for a monitor to show its live state; dropped when it completes.</summary>
    public Future? Call { get; set; }

    /// <summary>The state it ended in (Pending until then).</summary>
    public FutureState FinalState { get; set; }

    /// <summary>The exception it faulted with, kept for a monitor after the call is let go.</summary>
    public Exception? Exception { get; set; }

    /// <summary>For a gathering (<see cref="IGatherFuture"/>): how many of its elements come from each method slot.</summary>
    public Dictionary<int, long>? InputSlots { get; set; }

    /// <summary>Renders <see cref="Label"/> now if it has not been: the call must still hold its arguments.</summary>
    public void RenderLabel(Future call)
    {
        if (!Labelled)
        {
            Label = call.RenderLabel();
            Labelled = true;
        }
    }

    /// <summary>Serializes the lazy creation of the span (remote dispatch and completion may race).</summary>
    public object Gate => this;

    /// <summary>The record of <paramref name="call"/>, or null if it was submitted while telemetry was off.</summary>
    public static CallRecord? Find(Future call) => call.TelemetryRecord as CallRecord;

    /// <summary>A snapshot of the argument futures the call waited for (empty once dropped).</summary>
    public Future[] Arguments()
    {
        List<Future>? arguments = Volatile.Read(ref _arguments);
        if (arguments is null)
        {
            return Array.Empty<Future>();
        }

        lock (arguments)
        {
            return arguments.ToArray();
        }
    }

    public void AddArgument(Future argument)
    {
        List<Future> arguments = _arguments ??= new List<Future>(2);
        lock (arguments)
        {
            arguments.Add(argument);
        }
    }

    /// <summary>Lets the arguments go, so a finished pipeline can be collected (unless a graph recording keeps the edges).</summary>
    public void DropArguments() => Volatile.Write(ref _arguments, null);
}
