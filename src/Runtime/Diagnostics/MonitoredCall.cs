using System;
using System.Collections.Generic;

namespace Pipelines.Diagnostics;

/// <summary>One call as a <see cref="PipelineMonitor"/> shows it when you drill into a method (<see cref="PipelineMonitor.Calls"/>).</summary>
public sealed class MonitoredCall
{
    internal MonitoredCall(string method, string? label, FutureState state)
    {
        Method = method;
        Label = label;
        State = state;
    }

    /// <summary>The call's method, e.g. <c>Parse</c>; <c>Future</c> for a future that is not a call.</summary>
    public string Method { get; }

    /// <summary>What identifies the call among its method's calls (<c>[Submittable(Label = …)]</c>, by default its first simple argument), or null.</summary>
    public string? Label { get; }

    /// <summary>Its state when the monitor looked.</summary>
    public FutureState State { get; }

    /// <summary>The executor's name, or null for a future without one.</summary>
    public string? Executor { get; internal init; }

    /// <summary>How long it has run (running), or ran (done); null if it never ran or the monitor did not see it start.</summary>
    public TimeSpan? Duration { get; internal init; }

    /// <summary>How long ago it was submitted, when the monitor knows.</summary>
    public TimeSpan? Age { get; internal init; }

    /// <summary>The exception's type name of a faulted call, else null.</summary>
    public string? ExceptionType { get; internal init; }

    /// <summary>The exception's message of a faulted call, else null.</summary>
    public string? ExceptionMessage { get; internal init; }

    /// <summary>
    /// For a call that has not started: the argument futures it is still waiting for (each with what it waits for in turn,
    /// a few levels deep) — what holds a stuck call up. Empty otherwise.
    /// </summary>
    public IReadOnlyList<MonitoredCall> WaitingFor { get; internal init; } = Array.Empty<MonitoredCall>();

    /// <summary>E.g. <c>Parse about.md (Running, 1.2 s)</c>.</summary>
    public override string ToString() =>
        $"{Method}{(Label is null ? "" : " " + Label)} ({State}{(Duration is { } d ? ", " + PipelineGraph.FormatDuration(d) : "")})";
}
