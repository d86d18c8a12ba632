using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;

namespace Pipelines;

// The pump: reads the input and submits chunks while there is room in flight and in the window.
internal sealed partial class ChunkedMap<TItem, TResult>
{
    /// <summary>Runs the pump until no request is left (see the class remarks). Never throws: failures are kept for the consumer.</summary>
    private void Pump() => _ = PumpAsync();

    private async Task PumpAsync()
    {
        int served = Volatile.Read(ref _pumpRequests);
        while (true)
        {
            await FillAsync().ConfigureAwait(false);
            int left = Interlocked.Add(ref _pumpRequests, -served);
            if (left == 0)
            {
                return;
            }

            served = left;
        }
    }

    private async ValueTask FillAsync()
    {
        while (TryReserve(out int size))
        {
            var items = new TItem[size];
            int count = 0;
            try
            {
                while (count < size && await _source.MoveNextAsync().ConfigureAwait(false))
                {
                    items[count++] = _source.Current;
                }
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    _sourceError = ExceptionDispatchInfo.Capture(ex);
                    _sourceDone = true;
                }
            }

            if (count < size)
            {
                lock (_lock)
                {
                    _sourceDone = true;
                }
            }

            if (count > 0)
            {
                Submit(items, count);
            }

            _signal.Signal();
        }

        bool release;
        lock (_lock)
        {
            release = (_sourceDone || _abandoned) && !_sourceDisposed;
            _sourceDisposed |= release;
        }

        if (release)
        {
            try
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    _sourceError ??= ExceptionDispatchInfo.Capture(ex);
                }

                _signal.Signal();
            }
        }
    }

    /// <summary>Decides whether another chunk may go now, and how many items it takes.</summary>
    private bool TryReserve(out int size)
    {
        lock (_lock)
        {
            long room = _window - (_taken - _consumed);
            if (_abandoned || _sourceDone || _inFlight >= _maxInFlight || room <= 0)
            {
                size = 0;
                return false;
            }

            // With a window, keep chunks small enough that every chunk in flight fits in it at once.
            long limit = _window == long.MaxValue ? int.MaxValue : Math.Max(1, _window / _maxInFlight);
            size = (int)Math.Min(Math.Min(_sizer.Next(), limit), room);
            return true;
        }
    }

    private void Submit(TItem[] items, int count)
    {
        if (_abandoned)
        {
            return;
        }

        MapChunk<TItem, TResult> chunk;
        try
        {
            chunk = new MapChunk<TItem, TResult>(_executor, _method, items, count);
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _submitError = ExceptionDispatchInfo.Capture(ex); // e.g. the executor shut down or broke meanwhile
                _sourceDone = true;
            }

            return;
        }

        lock (_lock)
        {
            _chunks.Enqueue(chunk);
            _taken += count;
            _inFlight++;
        }

        chunk.Begin();
        chunk.AddContinuation(new ChunkDone(this, chunk)); // at once if it already finished (an inline executor)
        if (_abandoned)
        {
            chunk.Cancel();
        }
    }
}
