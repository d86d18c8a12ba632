using System;

namespace Pipelines.Diagnostics;

/// <summary>
/// A bar of the task stream while the sampler builds it (<see cref="TaskStreamBar"/> is what it hands out). Written
/// under the sampler's lock; every change takes a new <see cref="Version"/>, so a reader asks only for what changed.
/// </summary>
internal sealed class MonitorBar(long id, string lane, MethodSlot slot, long start)
{
    public long Id { get; } = id;

    public string Lane { get; } = lane;

    public MethodSlot Slot { get; } = slot;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public long Start { get; } = start;

    public long End { get; set; } = start;

    public long Calls { get; set; }

    public long Faulted { get; set; }

    public string? Label { get; set; }

    public bool IsRunning { get; set; }

    public long Version { get; set; }

    /// <summary>The one call of a bar that follows a call, while it runs.</summary>
    public Future? Call { get; set; }

    /// <summary>The row of calls in flight it holds (async and remote calls), or -1 for a worker thread's bar.</summary>
    public int Row { get; init; } = -1;

    /// <summary>The executor whose in-flight row it holds, or null.</summary>
    public Executor? Executor { get; init; }

    public TaskStreamBar ToPublic(Func<long, DateTimeOffset> time) => new(Id, Lane, Slot.Name.Short)
    {
        QualifiedMethod = Slot.Name.Qualified,
        Start = time(Start),
        End = time(End),
        Calls = Calls,
        Faulted = Faulted,
        IsRunning = IsRunning,
        Label = Label,
    };
}
