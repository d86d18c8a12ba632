using System;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines.Diagnostics;

/// <summary>
/// Watches every pipeline of the process while it is open: progress per method, the grouped graph of which methods feed
/// which, what each worker runs (the task stream), failures with what they took down, and how busy the executors are —
/// what the <c>Pipelines.Dashboard</c> page shows, for any other viewer too. Read it a few times a second with
/// <see cref="Snapshot"/>; drill into a method with <see cref="Calls"/>.
/// </summary>
/// <remarks>
/// <para><b>Cost.</b> Nothing is recorded while no monitor is open. While one is, each call pays two plain increments
/// on counters of the threads that submit and complete it (and one per argument future); one call in 1024 of each method,
/// after the first 256, is kept for <see cref="Calls"/>; a background thread samples what each worker runs about 50
/// times a second. A generated fan-out stays within a few percent of its unmonitored speed (see the README's
/// measurements).</para>
/// <para><b>What counts.</b> Calls accepted while a monitor is open (generated stubs, <c>Submit(…)</c>, <c>Then</c>, on any
/// executor); calls sent to process pools and clusters are seen from this side, from dispatch to result. Counts start
/// when the first of the open monitors started; monitors opened meanwhile share them. The AppContext switch
/// <c>Pipelines.Telemetry</c> set to false turns this off too: a monitor then sees nothing.</para>
/// <para><b>When a call counts as finished.</b> A call that ran is counted by the thread that ran it once its run is over,
/// a moment after its future completed: a snapshot taken just after a wait returns can still show the last calls
/// running. Counts settle within microseconds; read again to see them.</para>
/// </remarks>
/// <example>
/// <code>
/// using PipelineMonitor monitor = PipelineMonitor.Start();
/// Future&lt;Report&gt; report = pool.SubmitSummarize(pool.SubmitLoad(path));
/// while (!report.IsDone)
/// {
///     foreach (MonitoredMethod method in monitor.Snapshot().Methods)
///         Console.WriteLine(method);   // Load: 1/1 done, 0 faulted, 0 cancelled, 0 running
///     Thread.Sleep(500);
/// }
/// </code>
/// </example>
public sealed class PipelineMonitor : IDisposable
{
    private int _disposed;

    private PipelineMonitor() => Monitoring.Start();

    /// <summary>Starts watching (or joins the monitors already open). Dispose it to stop.</summary>
    /// <returns>The monitor.</returns>
    public static PipelineMonitor Start() => new();

    /// <summary>What the monitor sees now.</summary>
    /// <param name="taskStreamSince">
    /// The <see cref="PipelineMonitorSnapshot.TaskStreamVersion"/> of the previous snapshot, to get only the task-stream
    /// bars that changed after it; 0 (default) for all the bars of the last minute.
    /// </param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taskStreamSince"/> is negative.</exception>
    public PipelineMonitorSnapshot Snapshot(long taskStreamSince = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(taskStreamSince);
        return SamplerOrThrow().Snapshot(taskStreamSince);
    }

    /// <summary>
    /// The calls of one method the monitor can show: those running now (longest first), those not started (oldest first,
    /// each with the argument futures it still waits for), then failed and finished ones. Finished calls are a sample:
    /// the first 256 of the method, then one in 1024.
    /// </summary>
    /// <param name="method">The method's <see cref="MonitoredMethod.Name"/> or <see cref="MonitoredMethod.QualifiedName"/>.</param>
    /// <param name="limit">The most calls to return (default 100).</param>
    /// <returns>The calls, possibly none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is zero or negative.</exception>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public IReadOnlyList<MonitoredCall> Calls(string method, int limit = 100)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return SamplerOrThrow().Calls(method, limit);
    }

    /// <summary>Stops watching (once; later calls do nothing). The last open monitor turns the recording off.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Monitoring.Stop();
        }
    }

    private MonitorSampler SamplerOrThrow()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Monitoring.Sampler ?? throw new ObjectDisposedException(nameof(PipelineMonitor));
    }
}
