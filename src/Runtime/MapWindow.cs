using System;
using System.Collections;
using System.Collections.Generic;

namespace Pipelines;

/// <summary>
/// The results of one <c>Map</c>: a queue of submitted calls in input order, topped up from the input as results
/// are taken, so at most <c>bufferSize</c> calls are ever in flight. It holds no future it has handed out.
/// </summary>
internal sealed class MapWindow<T, TResult> : IEnumerable<TResult>, IEnumerator<TResult>
{
    private readonly IExecutor _executor;
    private readonly Func<T, TResult> _function;
    private readonly Queue<Future<TResult>> _inFlight = new();
    private IEnumerator<T>? _items;
    private bool _enumerated;
    private TResult _current = default!;

    public MapWindow(IExecutor executor, Func<T, TResult> function, IEnumerable<T> items, Deadline deadline, int? bufferSize)
    {
        _executor = executor;
        _function = function;
        Deadline = deadline;
        _items = items.GetEnumerator();
        try
        {
            int initial = bufferSize ?? int.MaxValue;
            while (_inFlight.Count < initial && TrySubmitNext())
            {
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Deadline Deadline { get; }

    public TResult Current => _current;

    object? IEnumerator.Current => Current;

    public IEnumerator<TResult> GetEnumerator()
    {
        if (_enumerated)
        {
            throw new InvalidOperationException("The results of Map can be enumerated only once: the calls were submitted once.");
        }

        _enumerated = true;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        if (!TryTakeNext(out Future<TResult>? next))
        {
            return false;
        }

        if (!next.WaitCore(Deadline))
        {
            next.Cancel();
            throw new TimeoutException($"Map: a result was not ready within the timeout ({_inFlight.Count + 1} calls unfinished).");
        }

        _current = next.GetResult();
        return true;
    }

    /// <summary>Takes the oldest call in flight and submits the next input in its place.</summary>
    public bool TryTakeNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Future<TResult>? next)
    {
        if (!_inFlight.TryDequeue(out next))
        {
            return false;
        }

        TrySubmitNext();
        return true;
    }

    public void Reset() => throw new NotSupportedException();

    /// <summary>Abandoning the results cancels every call that has not started.</summary>
    public void Dispose()
    {
        while (_inFlight.TryDequeue(out Future<TResult>? future))
        {
            future.Cancel();
        }

        _items?.Dispose();
        _items = null;
        _current = default!;
    }

    private bool TrySubmitNext()
    {
        if (_items is null || !_items.MoveNext())
        {
            _items?.Dispose();
            _items = null;
            return false;
        }

        _inFlight.Enqueue(new MapCall(_executor, _function, _items.Current));
        return true;
    }

    /// <summary>One mapped call: the function and its item in fields, one allocation per item.</summary>
    private sealed class MapCall : Advanced.CallFuture<TResult>
    {
        private Func<T, TResult>? _function;
        private T _item;

        public MapCall(IExecutor executor, Func<T, TResult> function, T item)
            : base(executor)
        {
            _function = function;
            _item = item;
            Start();
        }

        protected override TResult Invoke() => _function!(_item);

        protected override void ReleaseArguments()
        {
            _function = null;
            _item = default!;
        }
    }
}
