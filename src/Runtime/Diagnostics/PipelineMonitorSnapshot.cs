using System;
using System.Collections.Generic;

namespace Pipelines.Diagnostics;

/// <summary>What a <see cref="PipelineMonitor"/> saw at one moment: progress per method, the method graph, the executors, the failures and the task stream.</summary>
public sealed class PipelineMonitorSnapshot
{
    internal PipelineMonitorSnapshot(
        DateTimeOffset time,
        TimeSpan elapsed,
        IReadOnlyList<MonitoredMethod> methods,
        IReadOnlyList<MonitoredEdge> edges,
        IReadOnlyList<MonitoredExecutor> executors,
        IReadOnlyList<MonitoredFailure> failures,
        IReadOnlyList<TaskStreamBar> taskStream,
        long taskStreamVersion)
    {
        Time = time;
        Elapsed = elapsed;
        Methods = methods;
        Edges = edges;
        Executors = executors;
        Failures = failures;
        TaskStream = taskStream;
        TaskStreamVersion = taskStreamVersion;
    }

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>How long the monitor has been recording (since the first monitor of the running ones started).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Progress per method, in the order the methods were first seen.</summary>
    public IReadOnlyList<MonitoredMethod> Methods { get; }

    /// <summary>
    /// The grouped graph's edges: how many times a call of <see cref="MonitoredEdge.To"/> took a future of
    /// <see cref="MonitoredEdge.From"/> as an argument (each element of a collection argument counts once).
    /// </summary>
    public IReadOnlyList<MonitoredEdge> Edges { get; }

    /// <summary>The executors that accepted calls while a monitor recorded, and how busy they are now (an executor is forgotten when it is collected).</summary>
    public IReadOnlyList<MonitoredExecutor> Executors { get; }

    /// <summary>The calls that threw, in the order they threw (the first ones and the latest, up to a few hundred), each with what it took down.</summary>
    public IReadOnlyList<MonitoredFailure> Failures { get; }

    /// <summary>The bars of the task stream that changed after the version passed to <see cref="PipelineMonitor.Snapshot"/>, within the last minute.</summary>
    public IReadOnlyList<TaskStreamBar> TaskStream { get; }

    /// <summary>The task stream's version now: pass it to the next <see cref="PipelineMonitor.Snapshot"/> to get only the bars that change after it.</summary>
    public long TaskStreamVersion { get; }
}

/// <summary>The progress of one method's calls (all its overloads, or one lambda's calls), counted since the monitor started.</summary>
public sealed class MonitoredMethod
{
    internal MonitoredMethod(string name, string qualifiedName)
    {
        Name = name;
        QualifiedName = qualifiedName;
    }

    /// <summary>The method's name as graphs show it, e.g. <c>Parse</c>; <c>lambda in Main</c> for a submitted lambda.</summary>
    public string Name { get; }

    /// <summary>The method with its type, e.g. <c>Jobs.Parse</c> (the <c>pipelines.method</c> tag of spans and metrics).</summary>
    public string QualifiedName { get; }

    /// <summary>Calls accepted by an executor.</summary>
    public long Submitted { get; internal init; }

    /// <summary>Calls that have not started: waiting for argument futures, queued, or waiting to be retried.</summary>
    public long Queued { get; internal init; }

    /// <summary>Calls running now: on a worker thread, awaiting (async methods), or sent to a process pool or a cluster.</summary>
    public long Running { get; internal init; }

    /// <summary>Calls that succeeded.</summary>
    public long Succeeded { get; internal init; }

    /// <summary>Calls that faulted: they threw, or an argument future faulted (<see cref="FaultedWithoutRunning"/>).</summary>
    public long Faulted { get; internal init; }

    /// <summary>Of <see cref="Faulted"/>, the calls that never ran because an argument future faulted.</summary>
    public long FaultedWithoutRunning { get; internal init; }

    /// <summary>Calls that were cancelled, before or while running.</summary>
    public long Cancelled { get; internal init; }

    /// <summary>Calls done: succeeded, faulted or cancelled.</summary>
    public long Done => Succeeded + Faulted + Cancelled;

    /// <summary>Calls completed per second over the last few seconds.</summary>
    public double CompletionsPerSecond { get; internal init; }

    /// <summary>How long the calls not done yet would take at <see cref="CompletionsPerSecond"/>; null while nothing completes, zero when nothing is left.</summary>
    public TimeSpan? EstimatedRemaining { get; internal init; }

    /// <summary>
    /// How long a call runs, on average: exact for async calls and calls sent to other processes; for calls on worker
    /// threads, estimated by sampling what each worker runs (about 50 times a second). Null before any call ran.
    /// </summary>
    public TimeSpan? MeanDuration { get; internal init; }

    /// <summary>E.g. <c>Parse: 120/300 done, 3 faulted</c>.</summary>
    public override string ToString() => $"{Name}: {Done}/{Submitted} done, {Faulted} faulted, {Cancelled} cancelled, {Running} running";
}

/// <summary>An edge of the grouped graph: calls of <see cref="To"/> took futures of <see cref="From"/> as arguments <see cref="Count"/> times.</summary>
public sealed class MonitoredEdge
{
    internal MonitoredEdge(string from, string to, long count)
    {
        From = from;
        To = to;
        Count = count;
    }

    /// <summary>The method whose futures were passed (its <see cref="MonitoredMethod.QualifiedName"/>; <c>Future</c> for futures that are not calls).</summary>
    public string From { get; }

    /// <summary>The method that took them (its <see cref="MonitoredMethod.QualifiedName"/>).</summary>
    public string To { get; }

    /// <summary>How many argument futures went this way.</summary>
    public long Count { get; }

    /// <summary>E.g. <c>Jobs.Fetch -&gt; Jobs.Parse ×300</c>.</summary>
    public override string ToString() => $"{From} -> {To} ×{Count}";
}

/// <summary>How busy one executor is.</summary>
public sealed class MonitoredExecutor
{
    internal MonitoredExecutor(string name, string kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The executor's <see cref="Executor.Name"/>.</summary>
    public string Name { get; }

    /// <summary>Its type's name, e.g. <c>ThreadPoolExecutor</c>, <c>ProcessPoolExecutor</c>, <c>OrleansExecutor</c>.</summary>
    public string Kind { get; }

    /// <summary>The most workers it runs calls on at once (threads, or worker processes), or null when it has no such bound.</summary>
    public int? MaxWorkers { get; internal init; }

    /// <summary>Workers alive now (threads or processes), or null when it has none of its own.</summary>
    public int? Workers { get; internal init; }

    /// <summary>Worker threads parked, waiting for work (thread pools), else null.</summary>
    public int? IdleWorkers { get; internal init; }

    /// <summary>Calls ready to run and not yet picked up by a worker (thread pools), else null.</summary>
    public int? Queued { get; internal init; }

    /// <summary>Calls running now as the monitor last sampled them: on its threads, awaiting, or sent away.</summary>
    public int Running { get; internal init; }

    /// <summary>Calls accepted and not finished: waiting for arguments, queued or running.</summary>
    public int Unfinished { get; internal init; }

    /// <summary>True once it was shut down.</summary>
    public bool IsShutdown { get; internal init; }

    /// <summary>True once it is broken (see <see cref="BrokenExecutorException"/>).</summary>
    public bool IsBroken { get; internal init; }

    /// <summary>E.g. <c>pool (ThreadPoolExecutor): 4/4 workers, 120 queued</c>.</summary>
    public override string ToString() => $"{Name} ({Kind}): {Workers}/{MaxWorkers} workers, {Queued} queued, {Running} running, {Unfinished} unfinished";
}
