using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>The input of a chunked map, synchronous or asynchronous, read by one thread at a time (the map's pump).</summary>
internal abstract class ItemSource<T>
{
    public abstract T Current { get; }

    public static ItemSource<T> From(IEnumerable<T> items) => new Synchronous(items);

    public static ItemSource<T> From(IAsyncEnumerable<T> items, CancellationToken cancellationToken) => new Asynchronous(items, cancellationToken);

    /// <summary>Moves to the next item; completes synchronously for synchronous inputs.</summary>
    public abstract ValueTask<bool> MoveNextAsync();

    public abstract ValueTask DisposeAsync();

    private sealed class Synchronous(IEnumerable<T> items) : ItemSource<T>
    {
        private IEnumerator<T>? _items;

        public override T Current => _items!.Current;

        public override ValueTask<bool> MoveNextAsync() => new((_items ??= items.GetEnumerator()).MoveNext());

        public override ValueTask DisposeAsync()
        {
            _items?.Dispose();
            return default;
        }
    }

    private sealed class Asynchronous(IAsyncEnumerable<T> items, CancellationToken cancellationToken) : ItemSource<T>
    {
        private IAsyncEnumerator<T>? _items;

        public override T Current => _items!.Current;

        public override ValueTask<bool> MoveNextAsync() => (_items ??= items.GetAsyncEnumerator(cancellationToken)).MoveNextAsync();

        public override ValueTask DisposeAsync() => _items?.DisposeAsync() ?? default;
    }
}
