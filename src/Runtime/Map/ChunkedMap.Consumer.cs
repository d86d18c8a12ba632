using System;
using System.Collections;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;

namespace Pipelines;

// The consumer: takes chunks in input order, waits for the head one, and hands out its items' results one by one.
internal sealed partial class ChunkedMap<TItem, TResult>
{
    private MapChunk<TItem, TResult>? _head;  // the chunk being read; consumer-owned
    private ChunkResults<TResult>? _headResults;
    private ExceptionDispatchInfo? _headFailure; // the whole chunk failed: each of its items rethrows it
    private int _headIndex;
    private TResult _current = default!;

    private enum Step
    {
        Result,
        End,
        Again,
        WaitForChunk,
        WaitForPump,
    }

    public TResult Current => _current;

    object? IEnumerator.Current => Current;

    /// <summary>True when the consumer has something to look at: a chunk, the end, or a failure.</summary>
    private bool CanProceed
    {
        get
        {
            lock (_lock)
            {
                return _chunks.Count > 0 || _sourceDone || _abandoned || _sourceError is not null || _submitError is not null;
            }
        }
    }

    public bool MoveNext()
    {
        while (true)
        {
            switch (Next(out _current, out MapChunk<TItem, TResult>? chunk))
            {
                case Step.Result:
                    return true;
                case Step.End:
                    return false;
                case Step.WaitForChunk:
                    if (!chunk!.Wait(Remaining()))
                    {
                        throw Timeout();
                    }

                    break;
                case Step.WaitForPump:
                    if (!_signal.Block(this, static map => map.CanProceed, Deadline.RemainingMilliseconds) && Deadline.IsExpired)
                    {
                        throw Timeout();
                    }

                    break;
            }
        }
    }

    public async ValueTask<bool> MoveNextAsync()
    {
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (Next(out _current, out MapChunk<TItem, TResult>? chunk))
            {
                case Step.Result:
                    return true;
                case Step.End:
                    return false;
                case Step.WaitForChunk:
                    if (!await WaitAsync(chunk!).ConfigureAwait(false))
                    {
                        throw Timeout();
                    }

                    break;
                case Step.WaitForPump:
                    if (!await _signal.WaitAsync(this, static map => map.CanProceed, Deadline, _cancellationToken).ConfigureAwait(false) && Deadline.IsExpired)
                    {
                        throw Timeout();
                    }

                    break;
            }
        }
    }

    public void Reset() => throw new NotSupportedException();

    /// <summary>The next result, or what to wait for. Throws a failed item's exception at its place.</summary>
    private Step Next(out TResult result, out MapChunk<TItem, TResult>? waitFor)
    {
        result = default!;
        waitFor = null;
        if (_head is not null)
        {
            if (_headIndex < _head.Count)
            {
                int index = _headIndex++;
                _headFailure?.Throw();
                if (_headResults!.Errors?[index] is { } error)
                {
                    error.Throw();
                }

                result = _headResults.Values[index];
                _headResults.Values[index] = default!; // hold nothing already handed out
                return Step.Result;
            }

            DropHead();
            RequestPump(); // the window moved
        }

        lock (_lock)
        {
            if (_chunks.Count > 0)
            {
                MapChunk<TItem, TResult> next = _chunks.Peek();
                if (!next.IsDone)
                {
                    waitFor = next;
                    return Step.WaitForChunk;
                }

                _chunks.Dequeue();
                SetHead(next);
                return Step.Again;
            }

            if (_sourceError is { } sourceError)
            {
                _sourceError = null;
                sourceError.Throw();
            }

            if (_submitError is { } submitError)
            {
                _submitError = null;
                submitError.Throw();
            }

            return _sourceDone || _abandoned ? Step.End : Step.WaitForPump;
        }
    }

    private void SetHead(MapChunk<TItem, TResult> chunk)
    {
        _head = chunk;
        _headIndex = 0;
        switch (chunk.State)
        {
            case FutureState.Succeeded:
                _headResults = chunk.ResultIfSucceeded;
                break;
            case FutureState.Faulted:
                _headFailure = ExceptionDispatchInfo.Capture(chunk.GetException()!);
                break;
            default:
                _headFailure = ExceptionDispatchInfo.Capture(new OperationCanceledException("This item's chunk of the map was cancelled (the executor shut down with cancelFutures, or the chunk was cancelled)."));
                break;
        }
    }

    /// <summary>The head chunk is read: its items leave the window, and nothing of it stays referenced.</summary>
    private void DropHead()
    {
        if (_head is { } head)
        {
            lock (_lock)
            {
                _consumed += head.Count;
            }
        }

        _head = null;
        _headResults = null;
        _headFailure = null;
        _current = default!;
    }

    private TimeSpan? Remaining()
    {
        int milliseconds = Deadline.RemainingMilliseconds;
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }

    private async ValueTask<bool> WaitAsync(Future chunk)
    {
        if (chunk.IsDone)
        {
            return true;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        chunk.OnDone(_ => done.TrySetResult());
        try
        {
            await done.Task.WaitAsync(Remaining() ?? System.Threading.Timeout.InfiniteTimeSpan, _cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return chunk.IsDone;
        }
    }

    private TimeoutException Timeout()
    {
        Dispose();
        return new TimeoutException("Map: a result was not ready within the timeout.");
    }
}
