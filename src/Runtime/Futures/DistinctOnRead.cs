using System.Collections;
using System.Collections.Generic;

namespace Pipelines;

/// <summary>
/// The Done list of a wait that found every future already done: the distinct futures, in first-seen order, with the
/// duplicates removed when the list is first read rather than inside the wait.
/// </summary>
/// <remarks>
/// Every future in the snapshot is done, and a done future stays done, so removing duplicates later gives the same list
/// as removing them in the wait. Most callers of <c>Futures.Wait(all)</c> never read the list; they then pay one pass
/// over the futures, as <c>Task.WaitAll</c> does, instead of a hash of every future.
/// </remarks>
internal sealed class DistinctOnRead<TFuture> : IReadOnlyList<TFuture>
    where TFuture : Future
{
    private readonly object _gate = new(); // not this: the list is handed to callers, who may lock on it
    private readonly FutureSnapshot<TFuture> _snapshot;
    private volatile TFuture[]? _distinct; // the distinct futures, from the first read on

    public DistinctOnRead(FutureSnapshot<TFuture> snapshot) => _snapshot = snapshot;

    public int Count => Items.Length;

    public TFuture this[int index] => Items[index];

    public IEnumerator<TFuture> GetEnumerator() => ((IEnumerable<TFuture>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private TFuture[] Items => _distinct ?? RemoveDuplicates();

    private TFuture[] RemoveDuplicates()
    {
        // The snapshot's array is compacted in place, so two first readers must not run it at once.
        lock (_gate)
        {
            return _distinct ??= IdentitySet.Distinct(_snapshot.ToArray());
        }
    }
}
