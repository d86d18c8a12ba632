using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;
using Pipelines.Remoting;

namespace Pipelines;

/// <summary>
/// The results of a typed map that runs in chunks (<c>executor.Map{Method}(…)</c> on a remote executor, or of an
/// asynchronous method): a pump reads the input, cuts it into chunks (<see cref="ChunkSizer"/>) and submits each as one
/// call (<see cref="MapChunk{TItem, TResult}"/>), keeping about twice the executor's concurrency in flight and at most
/// <c>bufferSize</c> items ahead of the consumer; the consumer reads the chunks in input order. An item that failed
/// rethrows at its place; a chunk that failed as a whole (its worker died, it was cancelled) fails each of its items.
/// </summary>
/// <remarks>
/// The pump runs on one thread at a time, wherever it is asked for: here at the start, on the consumer's thread when it
/// finishes a chunk, and on the .NET thread pool when a chunk completes (never on the thread that completed it, which
/// may be a worker's reader). A request counter makes sure no request is lost: whoever raises it from 0 runs the pump,
/// and the pump runs again until it takes the counter back to 0, so a request made while it runs is served by it.
/// </remarks>
internal sealed partial class ChunkedMap<TItem, TResult> : IEnumerable<TResult>, IEnumerator<TResult>, IAsyncEnumerator<TResult>
{
    private readonly object _lock = new();
    private readonly IExecutor _executor;
    private readonly MapMethod<TItem, TResult> _method;
    private readonly ItemSource<TItem> _source;
    private readonly ChunkSizer _sizer;
    private readonly long _window;
    private readonly int _maxInFlight;
    private readonly bool _stopsRunningChunks; // false on a process pool: stopping a running chunk would kill its worker
    private readonly CancellationToken _cancellationToken;
    private readonly Queue<MapChunk<TItem, TResult>> _chunks = new(); // submitted, in input order; the consumer reads the head
    private readonly ConsumerSignal _signal = new();
    private readonly WaitCallback _pumpOnThreadPool;
    private long _taken;
    private long _consumed;
    private int _inFlight;
    private int _pumpRequests;
    private bool _sourceDone;
    private bool _sourceDisposed;
    private ExceptionDispatchInfo? _sourceError;  // thrown by the input; rethrown after the results before it
    private ExceptionDispatchInfo? _submitError;  // a chunk could not be submitted (the executor shut down or broke)
    private volatile bool _abandoned;
    private bool _enumerated;

    public ChunkedMap(IExecutor executor, MapMethod<TItem, TResult> method, ItemSource<TItem> source, Deadline deadline, int? bufferSize, int? chunkSize, bool remote, CancellationToken cancellationToken = default)
    {
        _executor = executor;
        _method = method;
        _source = source;
        Deadline = deadline;
        _window = bufferSize ?? long.MaxValue;
        Executor target = CancellationView.Unwrap(executor, out _);
        int concurrency = target switch
        {
            RemoteExecutor remoteExecutor => remoteExecutor.Concurrency,
            ThreadPoolExecutor pool => pool.MaxWorkers,
            _ => Environment.ProcessorCount,
        };
        _maxInFlight = Math.Max(2, 2 * concurrency);
        _sizer = new ChunkSizer(remote ? chunkSize : 1);
        _stopsRunningChunks = target is not ProcessPoolExecutor;
        _cancellationToken = cancellationToken;
        _pumpOnThreadPool = static state => ((ChunkedMap<TItem, TResult>)state!).Pump();
        RequestPump(); // like Python's map, the work starts now
    }

    public Deadline Deadline { get; }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public IEnumerator<TResult> GetEnumerator()
    {
        if (_enumerated)
        {
            throw new InvalidOperationException("The results of a map can be enumerated only once: the calls were submitted once.");
        }

        _enumerated = true;
        return this;
    }

    /// <summary>Abandoning the results: chunks that have not started never run; the input is released.</summary>
    public void Dispose()
    {
        if (_abandoned)
        {
            return;
        }

        _abandoned = true;
        MapChunk<TItem, TResult>[] chunks;
        lock (_lock)
        {
            chunks = _chunks.ToArray();
            _chunks.Clear();
        }

        DropHead();
        foreach (MapChunk<TItem, TResult> chunk in chunks)
        {
            if (_stopsRunningChunks || chunk.State == FutureState.Pending)
            {
                chunk.Cancel(); // a pending chunk never runs; elsewhere a running one stops at its next item
            }
        }

        RequestPump(); // disposes the input, on the pump's thread
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <summary>Asks for the pump; runs it here unless it is running already (then it runs again).</summary>
    private void RequestPump()
    {
        if (Interlocked.Increment(ref _pumpRequests) == 1)
        {
            Pump();
        }
    }

    /// <summary>A chunk completed: ask for the pump on the thread pool, so that no user code runs on the completing thread.</summary>
    private void OnChunkDone(MapChunk<TItem, TResult> chunk)
    {
        chunk.MarkExceptionObserved(); // its failures surface through the enumeration, or not at all once abandoned
        if (chunk.State == FutureState.Succeeded && chunk.ResultIfSucceeded is { } results)
        {
            _sizer.Record(chunk.Count, results.RunSeconds, Stopwatch.GetElapsedTime(chunk.Submitted).TotalSeconds);
        }

        lock (_lock)
        {
            _inFlight--;
        }

        _signal.Signal();
        if (Interlocked.Increment(ref _pumpRequests) == 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_pumpOnThreadPool, this);
        }
    }

    private sealed class ChunkDone(ChunkedMap<TItem, TResult> map, MapChunk<TItem, TResult> chunk) : IFutureContinuation
    {
        public void OnFutureCompleted(Future future) => map.OnChunkDone(chunk);
    }
}
