using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// Watches a set of futures and reports their <see cref="PipelineProgress"/> as it changes: to an
/// <see cref="IProgress{T}"/>, as an <see cref="IAsyncEnumerable{T}"/> (<c>await foreach</c>), or on demand
/// (<see cref="Current"/>). Made by <see cref="Futures.Progress(IEnumerable{Future}, IProgress{PipelineProgress}?)"/>.
/// </summary>
/// <remarks>
/// <para>It counts completions from the runtime's own continuation on each future: watching a future does not count as
/// observing its exception (see <see cref="Future.UnobservedException"/>), needs no telemetry listener, and keeps no
/// reference to the futures — only they refer to the tracker, until they complete.</para>
/// <para>Reports coalesce: a reader that falls behind gets the latest snapshot, never a backlog, and snapshots only go
/// forward. The last report is the complete one (<see cref="PipelineProgress.IsComplete"/>).</para>
/// </remarks>
public sealed class ProgressTracker : IAsyncEnumerable<PipelineProgress>
{
    private static readonly WaitCallback s_report = static state => ((ProgressTracker)state!).ReportPending();

    private readonly object _gate = new();
    private readonly IProgress<PipelineProgress>? _progress;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _total;
    private int _succeeded;
    private int _faulted;
    private int _cancelled;
    private long _version;
    private TaskCompletionSource? _changed;

    // The reporter to the IProgress: one at a time, on the .NET thread pool, always sending the latest snapshot.
    private int _dirty;
    private int _reporting;
    private long _reportedVersion = -1;

    internal ProgressTracker(Future[] futures, IProgress<PipelineProgress>? progress)
    {
        _total = futures.Length;
        _progress = progress;
        var counter = new Counter(this);
        foreach (Future future in futures)
        {
            future.AddContinuation(counter); // runs at once for a future already done
        }

        if (_total == 0)
        {
            _completion.TrySetResult();
        }

        if (_progress is not null)
        {
            ScheduleReport(); // the first snapshot, even if nothing changes after it
        }
    }

    /// <summary>The progress now.</summary>
    public PipelineProgress Current
    {
        get
        {
            lock (_gate)
            {
                return Snapshot();
            }
        }
    }

    /// <summary>A task that completes when every tracked future is done (it never faults: it does not rethrow the futures' exceptions).</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Yields the progress now, then each change, until every future is done; the last item is the complete one.
    /// Each enumeration starts from the current snapshot; changes that happen while the reader is busy are merged into the next one.
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration (not the futures) with an <see cref="OperationCanceledException"/>.</param>
    public IAsyncEnumerator<PipelineProgress> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(this, cancellationToken);

    /// <summary>E.g. <c>7/10 done (5 succeeded, 1 faulted, 1 cancelled)</c>.</summary>
    public override string ToString() => Current.ToString();

    private PipelineProgress Snapshot() => new(_total, _succeeded, _faulted, _cancelled);

    private void OnCompleted(Future future)
    {
        TaskCompletionSource? changed;
        bool complete;
        lock (_gate)
        {
            switch (future.State)
            {
                case FutureState.Succeeded:
                    _succeeded++;
                    break;
                case FutureState.Faulted:
                    _faulted++;
                    break;
                default:
                    _cancelled++;
                    break;
            }

            _version++;
            complete = _succeeded + _faulted + _cancelled == _total;
            changed = _changed;
            _changed = null;
        }

        changed?.TrySetResult();
        if (_progress is not null)
        {
            ScheduleReport();
        }

        if (complete)
        {
            _completion.TrySetResult();
        }
    }

    private void ScheduleReport()
    {
        // Mark the change, then claim the reporter; the reporter clears the mark before it reads, so no change is missed.
        Volatile.Write(ref _dirty, 1);
        if (Interlocked.CompareExchange(ref _reporting, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(s_report, this);
        }
    }

    private void ReportPending()
    {
        while (true)
        {
            while (Interlocked.Exchange(ref _dirty, 0) == 1)
            {
                PipelineProgress snapshot;
                long version;
                lock (_gate)
                {
                    snapshot = Snapshot();
                    version = _version;
                }

                if (version != _reportedVersion)
                {
                    _reportedVersion = version;
                    try
                    {
                        _progress!.Report(snapshot);
                    }
                    catch (Exception ex)
                    {
                        CallbackFailures.WriteError($"Pipelines: the IProgress<PipelineProgress> given to Futures.Progress threw: {CallbackFailures.Describe(ex)}");
                    }
                }
            }

            Volatile.Write(ref _reporting, 0);
            if (Volatile.Read(ref _dirty) == 0 || Interlocked.CompareExchange(ref _reporting, 1, 0) != 0)
            {
                return; // nothing new, or another thread took over reporting
            }
        }
    }

    /// <summary>The latest snapshot if it is newer than <paramref name="seen"/>; else a task that completes at the next change (null once complete).</summary>
    private (PipelineProgress Snapshot, long Version, Task? Changed) Next(long seen)
    {
        lock (_gate)
        {
            if (_version != seen)
            {
                return (Snapshot(), _version, null);
            }

            if (_succeeded + _faulted + _cancelled == _total)
            {
                return (default, seen, null);
            }

            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (default, seen, _changed.Task);
        }
    }

    /// <summary>The runtime continuation registered on each future: counting, without observing its exception.</summary>
    private sealed class Counter(ProgressTracker tracker) : IFutureContinuation
    {
        public void OnFutureCompleted(Future future) => tracker.OnCompleted(future);
    }

    private sealed class Enumerator(ProgressTracker tracker, CancellationToken cancellationToken) : IAsyncEnumerator<PipelineProgress>
    {
        private long _seen = -1;

        public PipelineProgress Current { get; private set; }

        public async ValueTask<bool> MoveNextAsync()
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (PipelineProgress snapshot, long version, Task? changed) = tracker.Next(_seen);
                if (version != _seen)
                {
                    _seen = version;
                    Current = snapshot;
                    return true;
                }

                if (changed is null)
                {
                    return false; // the complete snapshot was yielded
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => default;
    }
}
