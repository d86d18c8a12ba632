using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Scheduling;

namespace Pipelines;

/// <summary>
/// The results of one <c>Map</c>. A few runner calls (up to the executor's worker count) take items from the input
/// in batches, under one lock, and fill each batch's ordered result slots; the consumer reads batches in input
/// order. Per item this costs a delegate call and a slot write — no future, no queue hop. Batches start at one item
/// and grow while items are quick, so slow items still spread over every runner. With a <c>bufferSize</c>, at most
/// that many items are taken ahead of the consumer: runners stop when the window is full and the consumer starts
/// them again as it takes results, so an endless input runs in constant memory.
/// </summary>
internal sealed partial class OrderedMap<T, TResult> : IEnumerable<TResult>, IEnumerator<TResult>
{
    private const int MaxBatch = 256;
    private static readonly long s_growBelowTicks = Stopwatch.Frequency / 50_000; // a batch quicker than 20 µs doubles

    private readonly object _lock = new();
    private readonly IExecutor _executor;
    private readonly Func<T, TResult> _function;
    private readonly Queue<Batch> _batches = new(); // taken, in input order; the consumer reads the head
    private readonly List<Future> _runners = new(); // runner calls not yet finished (guarded by _lock)
    private readonly int _maxRunners;
    private readonly long _window;
    private IEnumerator<T>? _items;                 // null once the input is exhausted (or failed)
    private ExceptionDispatchInfo? _inputError;     // thrown by the input; rethrown after the results before it
    private Exception? _runnerFailure;              // a runner that could not run (e.g. the executor rejected it)
    private long _taken;
    private long _consumed;
    private int _headIndex;                         // next result of the head batch
    private readonly ConsumerSignal _signal = new(); // wakes the consumer when a batch or the end is published
    private volatile bool _abandoned;
    private bool _enumerated;
    private TResult _current = default!;

    public OrderedMap(IExecutor executor, Func<T, TResult> function, IEnumerable<T> items, Deadline deadline, int? bufferSize)
    {
        _executor = executor;
        _function = function;
        Deadline = deadline;
        _window = bufferSize ?? long.MaxValue;
        _maxRunners = Math.Max(1, Math.Min(executor is ThreadPoolExecutor pool ? pool.MaxWorkers : Environment.ProcessorCount, bufferSize ?? int.MaxValue));
        _items = items.GetEnumerator();
        try
        {
            StartRunners(); // like Python's map, the calls start now, not at the first MoveNext
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
        while (true)
        {
            switch (TryTakeResult(out _current))
            {
                case Take.Result:
                    return true;
                case Take.End:
                    return false;
            }

            StartRunners();
            Future[] runners;
            lock (_lock)
            {
                runners = _runners.ToArray();
            }

            if (!WorkerHelp.WaitUntil(this, static m => m.CanTake, new WorkerHelp.Preferred(runners), Deadline, static (m, ms) => m.Block(ms)))
            {
                throw Timeout();
            }
        }
    }

    /// <summary>The next result without blocking: <see cref="Take.Wait"/> when the consumer must wait for a runner.</summary>
    public async ValueTask<(bool HasResult, TResult Result)> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (TryTakeResult(out TResult result))
            {
                case Take.Result:
                    return (true, result);
                case Take.End:
                    return (false, default!);
            }

            StartRunners();
            if (!await WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                throw Timeout();
            }
        }
    }

    public void Reset() => throw new NotSupportedException();

    /// <summary>Abandoning the results stops the runners: items not yet started never run.</summary>
    public void Dispose()
    {
        _abandoned = true;
        Future[] runners;
        lock (_lock)
        {
            runners = _runners.ToArray();
            _batches.Clear();
            _items?.Dispose();
            _items = null;
        }

        foreach (Future runner in runners)
        {
            runner.Cancel(); // a runner not yet started never starts; a running one stops at its next item
        }

        _current = default!;
    }

    private TimeoutException Timeout()
    {
        Dispose();
        return new TimeoutException("Map: a result was not ready within the timeout.");
    }
}
