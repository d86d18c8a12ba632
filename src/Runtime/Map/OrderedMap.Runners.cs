using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Pipelines;

// The runner calls: started up to the limit within the window, each claiming batches of input and publishing results.
internal sealed partial class OrderedMap<T, TResult>
{
    private Func<CancellationToken, int>? _runnerBody;
    private int _starting;  // runners being submitted (guarded by _lock)

    /// <summary>Starts runners up to the limit, while there is input and room in the window.</summary>
    private void StartRunners()
    {
        int toStart;
        lock (_lock)
        {
            if (_abandoned || _items is null || _runnerFailure is not null || _taken - _consumed >= _window)
            {
                return;
            }

            toStart = _maxRunners - _runners.Count - _starting;
            if (toStart <= 0)
            {
                return;
            }

            _starting += toStart;
        }

        Func<CancellationToken, int> body = _runnerBody ??= RunnerLoop;
        for (int i = 0; i < toStart; i++)
        {
            Future runner;
            try
            {
                runner = _executor.Submit(body);
            }
            catch
            {
                lock (_lock)
                {
                    _starting -= toStart - i;
                }

                throw;
            }

            lock (_lock)
            {
                _starting--;
                _runners.Add(runner);
            }

            runner.AddContinuation(new RunnerDone(this)); // at once if the runner already finished (an inline executor)
        }
    }

    private int RunnerLoop(CancellationToken cancellationToken)
    {
        int batchSize = 1;
        while (!_abandoned && Claim(batchSize) is { } batch)
        {
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch.Count; i++)
            {
                if (_abandoned || cancellationToken.IsCancellationRequested)
                {
                    batch.FailFrom(i, new OperationCanceledException("The map was cancelled before this item ran.", cancellationToken));
                    break;
                }

                try
                {
                    batch.Results[i] = _function(batch.Items[i]);
                }
                catch (Exception ex)
                {
                    batch.Fail(i, ExceptionDispatchInfo.Capture(ex));
                }

                batch.Items[i] = default!;
            }

            batch.Publish();
            Signal();

            long elapsed = Stopwatch.GetTimestamp() - started;
            batchSize = elapsed < s_growBelowTicks ? Math.Min(batchSize * 2, MaxBatch) : Math.Max(1, batchSize / 2);
        }

        return 0;
    }

    /// <summary>Takes up to <paramref name="batchSize"/> items from the input, in order, within the window; null when there are none.</summary>
    private Batch? Claim(int batchSize)
    {
        lock (_lock)
        {
            long room = _window - (_taken - _consumed);
            if (_items is null || _abandoned || room <= 0)
            {
                return null;
            }

            // With a window, keep batches small enough that every runner can be busy inside it.
            long limit = _window == long.MaxValue ? batchSize : Math.Max(1, Math.Min(batchSize, _window / (2 * _maxRunners)));
            var batch = new Batch((int)Math.Min(limit, room));
            try
            {
                while (batch.Count < batch.Items.Length && _items.MoveNext())
                {
                    batch.Items[batch.Count++] = _items.Current;
                }

                if (batch.Count < batch.Items.Length)
                {
                    _items.Dispose();
                    _items = null; // exhausted
                }
            }
            catch (Exception ex)
            {
                _inputError = ExceptionDispatchInfo.Capture(ex);
                _items = null;
            }

            if (batch.Count == 0)
            {
                Signal(); // the consumer may be waiting to learn that the input ended
                return null;
            }

            _taken += batch.Count;
            _batches.Enqueue(batch);
            return batch;
        }
    }

    private void OnRunnerDone(Future runner)
    {
        lock (_lock)
        {
            _runners.Remove(runner);
            if (!_abandoned && runner.State != FutureState.Succeeded && _runnerFailure is null)
            {
                _runnerFailure = runner.IsFaulted
                    ? runner.GetException()
                    : new OperationCanceledException("The map's calls were cancelled (the executor shut down with cancelFutures).");
            }
        }

        // A runner stops when it finds the window full. If the consumer moved the window after that but before the
        // runner was removed above, the consumer's StartRunners counted this runner as running and started none:
        // start them here. Both decisions are made under _lock, so one of the two sees the room and the free slot.
        try
        {
            StartRunners();
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _runnerFailure ??= ex; // e.g. the executor shut down meanwhile
            }
        }

        Signal();
    }

    /// <summary>A batch or the end was published: wake the consumer if it waits.</summary>
    private void Signal() => _signal.Signal();

    /// <summary>Consecutive input items taken together by one runner, with their results.</summary>
    private sealed class Batch(int capacity)
    {
        private volatile bool _done;

        public T[] Items { get; } = new T[capacity];

        public TResult[] Results { get; } = new TResult[capacity];

        public ExceptionDispatchInfo?[]? Errors { get; private set; }

        public int Count { get; set; }

        public bool IsDone => _done;

        public void Fail(int index, ExceptionDispatchInfo error) => (Errors ??= new ExceptionDispatchInfo?[Count])[index] = error;

        public void FailFrom(int index, Exception error)
        {
            for (int i = index; i < Count; i++)
            {
                Fail(i, ExceptionDispatchInfo.Capture(error));
                Items[i] = default!;
            }
        }

        /// <summary>Results and errors are written before this; the consumer reads them only after seeing it.</summary>
        public void Publish() => _done = true;
    }

    private sealed class RunnerDone(OrderedMap<T, TResult> map) : IFutureContinuation
    {
        public void OnFutureCompleted(Future future) => map.OnRunnerDone(future);
    }
}
