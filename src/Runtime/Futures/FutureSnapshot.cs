using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Pipelines;

/// <summary>
/// The futures a caller passed to a wait, copied where the caller cannot change them, checked for nulls, with their
/// states counted in the same pass: each future is read once, as <c>Task.WaitAll</c> reads each task.
/// </summary>
/// <remarks>
/// A chunked snapshot is copied in arrays below the large-object threshold. One array of a million references is
/// 8 MB on the large-object heap, fresh memory whose first touch page-faults on every wait; chunks come from the young
/// generation's memory, which the GC keeps and reuses. That made most of the cost of a wait over done futures.
/// </remarks>
internal readonly struct FutureSnapshot<TFuture>
    where TFuture : Future
{
    // 8,192 references are 64 KB: under the 85,000 bytes from which .NET allocates on the large-object heap.
    private const int ChunkLength = 8192;

    private readonly TFuture[][] _chunks;

    private FutureSnapshot(TFuture[][] chunks, int count, int done, int faulted)
    {
        _chunks = chunks;
        Count = count;
        Done = done;
        Faulted = faulted;
    }

    /// <summary>How many futures, repeats included.</summary>
    public int Count { get; }

    /// <summary>How many were done when read (a repeated future counts each time).</summary>
    public int Done { get; }

    /// <summary>How many were faulted when read (a repeated future counts each time).</summary>
    public int Faulted { get; }

    /// <summary>Copies <paramref name="futures"/>; <paramref name="chunked"/> for a snapshot that may be kept as it is.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null (named <paramref name="paramName"/>).</exception>
    public static FutureSnapshot<TFuture> Take(IEnumerable<TFuture> futures, string paramName, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(futures, paramName);
        TFuture[][] chunks;
        int count;
        int done = 0;
        int faulted = 0;
        if (chunked && TryGetSpan(futures, out ReadOnlySpan<TFuture> source))
        {
            chunks = new TFuture[Math.Max(1, (source.Length + ChunkLength - 1) / ChunkLength)][];
            for (int c = 0; c < chunks.Length; c++)
            {
                int start = c * ChunkLength;
                chunks[c] = source.Slice(start, Math.Min(ChunkLength, source.Length - start)).ToArray();
                Scan(chunks[c], paramName, ref done, ref faulted); // while the chunk just copied is in cache
            }

            count = source.Length;
        }
        else
        {
            // Any other sequence is read once into an array of our own, which is then the only chunk.
            TFuture[] own = futures is ICollection<TFuture> collection ? CopyOf(collection) : new List<TFuture>(futures).ToArray();
            Scan(own, paramName, ref done, ref faulted);
            chunks = [own];
            count = own.Length;
        }

        return new FutureSnapshot<TFuture>(chunks, count, done, faulted);
    }

    /// <summary>The futures as one array of their own: the only chunk itself, else a copy of the chunks.</summary>
    public TFuture[] ToArray()
    {
        if (_chunks.Length == 1)
        {
            return _chunks[0];
        }

        var all = new TFuture[Count];
        int at = 0;
        foreach (TFuture[] chunk in _chunks)
        {
            chunk.CopyTo(all, at);
            at += chunk.Length;
        }

        return all;
    }

    private static void Scan(TFuture[] chunk, string paramName, ref int done, ref int faulted)
    {
        foreach (TFuture future in chunk)
        {
            if (future is null)
            {
                throw new ArgumentNullException(paramName, "The sequence contains a null future.");
            }

            FutureState state = future.State;
            if (state is not (FutureState.Pending or FutureState.Running))
            {
                done++;
                faulted += state == FutureState.Faulted ? 1 : 0;
            }
        }
    }

    private static TFuture[] CopyOf(ICollection<TFuture> collection)
    {
        var items = new TFuture[collection.Count];
        collection.CopyTo(items, 0);
        return items;
    }

    private static bool TryGetSpan(IEnumerable<TFuture> futures, out ReadOnlySpan<TFuture> span)
    {
        switch (futures)
        {
            case TFuture[] array:
                span = array; // a ReadOnlySpan over a covariant array is fine: it is never written through
                return true;
            case List<TFuture> list:
                span = CollectionsMarshal.AsSpan(list);
                return true;
            default:
                span = default;
                return false;
        }
    }
}
