using System;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans;

// Result lifetime: the cluster holds a call's results until its future is collected, or the executor has drained and
// nothing here will read them (values not read yet whose futures live on stay readable, released once read).
public sealed partial class OrleansExecutor
{
    /// <inheritdoc/>
    protected override void OnDrained()
    {
        // Every call has finished. Keep only the values that nobody here has read and whose futures are still referenced:
        // they stay readable (fetched on first read, then released). Everything else goes now.
        _drained = true;
        foreach (ClusterCall record in _held.Keys)
        {
            if (!(record.Succeeded && !record.ValueIsLocal && !record.FutureCollected && !record.ResultLost))
            {
                Release(record);
            }
        }

        _closing = _dispatcher.DisposeAsync().AsTask();
    }

    /// <inheritdoc/>
    protected override void WaitForWorkers()
    {
        // The releases are on their way; a cluster that does not answer drops the results after their TTL anyway.
        try
        {
            _closing.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException ex)
        {
            LogCloseFailed(_logger, Name, ex.InnerException ?? ex);
        }
    }

    /// <summary>A call's future was collected: nothing here can read its value or pass it to a new call any more.</summary>
    internal void OnFutureCollected(ClusterCall record)
    {
        record.FutureCollected = true;
        Release(record);
    }

    /// <summary>Tells the cluster to drop every result held for <paramref name="record"/>'s attempts.</summary>
    private void Release(ClusterCall record)
    {
        _held.TryRemove(record, out _);
        foreach (ClusterCallId id in record.TakeUnreleased())
        {
            _dispatcher.Release(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing '{Executor}' failed while releasing results; they expire with the result TTL.")]
    private static partial void LogCloseFailed(ILogger logger, string executor, Exception exception);
}
