using System;

namespace Pipelines.Diagnostics;

/// <summary>
/// A bar of the task stream: what one worker ran over a stretch of time. A call that runs for longer than the sampling
/// interval gets a bar of its own (<see cref="Calls"/> is 1, with its <see cref="Label"/>); shorter calls are coalesced
/// into bars that say how many of them ran, coloured by the method most of them belong to.
/// </summary>
public sealed class TaskStreamBar
{
    internal TaskStreamBar(long id, string lane, string method)
    {
        Id = id;
        Lane = lane;
        Method = method;
    }

    /// <summary>Identifies the bar: a later snapshot may carry the same bar again, longer.</summary>
    public long Id { get; }

    /// <summary>Where it ran: a worker thread's name, or an executor's row of calls in flight (async calls, process pools, clusters).</summary>
    public string Lane { get; }

    /// <summary>The method of its call, or of most of its calls (<see cref="MonitoredMethod.Name"/>).</summary>
    public string Method { get; }

    /// <summary>The method's <see cref="MonitoredMethod.QualifiedName"/>.</summary>
    public string QualifiedMethod { get; internal init; } = "";

    /// <summary>When it starts.</summary>
    public DateTimeOffset Start { get; internal init; }

    /// <summary>When it ends (now, for a call still running).</summary>
    public DateTimeOffset End { get; internal init; }

    /// <summary>How many calls finished in it (0 for a call still running).</summary>
    public long Calls { get; internal init; }

    /// <summary>How many of them threw.</summary>
    public long Faulted { get; internal init; }

    /// <summary>True while its call still runs.</summary>
    public bool IsRunning { get; internal init; }

    /// <summary>The label of its call, for a bar of one call.</summary>
    public string? Label { get; internal init; }

    /// <summary>E.g. <c>hash_1 Hash a.txt 12:00:01.250-12:00:03.500</c>.</summary>
    public override string ToString() => $"{Lane} {Method}{(Label is null ? "" : " " + Label)} ×{Calls} {Start:HH:mm:ss.fff}-{End:HH:mm:ss.fff}";
}
