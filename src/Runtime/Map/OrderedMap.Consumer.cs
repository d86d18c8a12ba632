using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

// The consumer's side of the hand-off: results are read batch by batch in input order, and taking a batch moves
// the window, which lets runners that stopped at its edge go on.
internal sealed partial class OrderedMap<T, TResult>
{
    private Batch? _head;   // the batch the consumer reads; consumer-owned

    private enum Take
    {
        Result,
        End,
        Wait,
    }

    /// <summary>True when the consumer's next <see cref="TryTakeResult"/> would not have to wait.</summary>
    private bool CanTake
    {
        get
        {
            if (_head is { } head && _headIndex < head.Count)
            {
                return head.IsDone;
            }

            lock (_lock)
            {
                return _batches.Count > 0
                    ? _batches.Peek().IsDone
                    : _items is null || _runnerFailure is not null || _abandoned;
            }
        }
    }

    private Take TryTakeResult(out TResult result)
    {
        result = default!;
        if (_head is null || _headIndex == _head.Count)
        {
            bool windowMoved = false;
            lock (_lock)
            {
                if (_head is not null)
                {
                    _consumed += _head.Count;
                    _head = null;
                    windowMoved = _window != long.MaxValue && _items is not null;
                }

                if (_batches.Count > 0)
                {
                    _head = _batches.Dequeue();
                    _headIndex = 0;
                }
                else if (_inputError is { } inputError)
                {
                    _inputError = null;
                    inputError.Throw();
                }
                else if (_runnerFailure is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }
                else if (_items is null || _abandoned)
                {
                    return Take.End;
                }
            }

            if (windowMoved)
            {
                StartRunners(); // runners that stopped at the window's edge go on
            }

            if (_head is null)
            {
                return Take.Wait;
            }
        }

        if (!_head.IsDone)
        {
            return Take.Wait;
        }

        int index = _headIndex++;
        if (_head.Errors?[index] is { } error)
        {
            error.Throw();
        }

        result = _head.Results[index];
        _head.Results[index] = default!; // hold nothing already handed out
        return Take.Result;
    }

    private bool Block(int milliseconds) => _signal.Block(this, static m => m.CanTake, milliseconds);

    private ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(this, static m => m.CanTake, Deadline, cancellationToken);
}
