using System;
using System.Threading;

namespace Pipelines.Scheduling;

/// <summary>
/// A pool worker's own queue: work submitted from a call running on that worker. The owner takes the newest first
/// (the subtree a blocked call waits for, hot in cache); other workers steal the oldest. A short lock guards it:
/// owner and thieves rarely meet, and a lock keeps the argument that no item is lost or taken twice trivial.
/// </summary>
internal sealed class WorkerDeque
{
    private IWorkItem?[] _items = new IWorkItem?[32];
    private int _head; // index of the oldest item
    private int _count;

    /// <summary>Items in the deque now; read without the lock, as a hint.</summary>
    public int Count => Volatile.Read(ref _count);

    public void PushNewest(IWorkItem item)
    {
        lock (this)
        {
            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) & (_items.Length - 1)] = item;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>The owner's take: the newest item.</summary>
    public IWorkItem? TakeNewest()
    {
        if (Count == 0)
        {
            return null;
        }

        lock (this)
        {
            if (_count == 0)
            {
                return null;
            }

            int index = (_head + _count - 1) & (_items.Length - 1);
            IWorkItem? item = _items[index];
            _items[index] = null;
            Volatile.Write(ref _count, _count - 1);
            return item;
        }
    }

    /// <summary>Removes <paramref name="item"/> if it is the newest: a call about to run inline (helping) leaves no stale entry behind.</summary>
    public void RemoveIfNewest(IWorkItem item)
    {
        if (Count == 0)
        {
            return;
        }

        lock (this)
        {
            int index = (_head + _count - 1) & (_items.Length - 1);
            if (_count > 0 && _items[index] == item)
            {
                _items[index] = null;
                Volatile.Write(ref _count, _count - 1);
            }
        }
    }

    /// <summary>A thief's take: the oldest item.</summary>
    public IWorkItem? StealOldest()
    {
        if (Count == 0)
        {
            return null;
        }

        lock (this)
        {
            if (_count == 0)
            {
                return null;
            }

            IWorkItem? item = _items[_head];
            _items[_head] = null;
            _head = (_head + 1) & (_items.Length - 1);
            Volatile.Write(ref _count, _count - 1);
            return item;
        }
    }

    private void Grow()
    {
        var grown = new IWorkItem?[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            grown[i] = _items[(_head + i) & (_items.Length - 1)];
        }

        _items = grown;
        _head = 0;
    }
}
