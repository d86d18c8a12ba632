using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Remoting;

namespace Pipelines.Internals;

/// <summary>
/// A [Submittable] method as the generated typed maps see it (<c>executor.Map{Method}(items…)</c>): how to run it on one
/// item here, and — for static, non-generic methods — the identity of its chunk entry, which runs a whole chunk of items
/// where a remote executor runs calls, and how to write one item as JSON. Generated code makes one per method.
/// </summary>
/// <remarks>
/// On a thread pool and every executor that runs calls in this process, a map of a synchronous method is exactly
/// <see cref="ExecutorExtensions.Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>. On a
/// <see cref="RemoteExecutor"/> (a process pool, a cluster) each chunk of items is one remote call of the chunk entry:
/// no delegate crosses the boundary. Asynchronous methods run chunk by chunk everywhere.
/// </remarks>
/// <typeparam name="TItem">One item: the method's argument, or a tuple of its arguments.</typeparam>
/// <typeparam name="TResult">The method's result.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MapMethod<TItem, TResult>
{
    private readonly Func<TItem, TResult>? _invoke;
    private readonly Func<TItem, CancellationToken, ValueTask<TResult>>? _invokeAsync;
    private readonly Func<JsonSerializerOptions, Action<Utf8JsonWriter, TItem>>? _itemWriter;
    private WriterFor? _lastWriter; // the item writer for the options used last

    /// <summary>Describes a synchronous method.</summary>
    /// <param name="name">The method's name, for messages (e.g. <c>Jobs.IsPrime</c>).</param>
    /// <param name="invoke">Runs the method on one item, here.</param>
    /// <param name="chunkMethodId">The identity its chunk entry is registered under (<see cref="RemoteCalls"/>), or null when it cannot run remotely.</param>
    /// <param name="itemWriter">Makes, for given options, what writes one item as the JSON the chunk entry reads (its converters looked up once); required with <paramref name="chunkMethodId"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="invoke"/> is null, or <paramref name="itemWriter"/> is null with a chunk entry.</exception>
    public MapMethod(string name, Func<TItem, TResult> invoke, string? chunkMethodId = null, Func<JsonSerializerOptions, Action<Utf8JsonWriter, TItem>>? itemWriter = null)
        : this(name, chunkMethodId, itemWriter)
    {
        ArgumentNullException.ThrowIfNull(invoke);
        _invoke = invoke;
    }

    /// <summary>Describes an asynchronous method.</summary>
    /// <param name="name">The method's name, for messages.</param>
    /// <param name="invokeAsync">Runs the method on one item, here; the token fires when the chunk is cancelled.</param>
    /// <param name="chunkMethodId">The identity its chunk entry is registered under, or null when it cannot run remotely.</param>
    /// <param name="itemWriter">Makes, for given options, what writes one item as the JSON the chunk entry reads (its converters looked up once); required with <paramref name="chunkMethodId"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="invokeAsync"/> is null, or <paramref name="itemWriter"/> is null with a chunk entry.</exception>
    public MapMethod(string name, Func<TItem, CancellationToken, ValueTask<TResult>> invokeAsync, string? chunkMethodId = null, Func<JsonSerializerOptions, Action<Utf8JsonWriter, TItem>>? itemWriter = null)
        : this(name, chunkMethodId, itemWriter)
    {
        ArgumentNullException.ThrowIfNull(invokeAsync);
        _invokeAsync = invokeAsync;
    }

    private MapMethod(string name, string? chunkMethodId, Func<JsonSerializerOptions, Action<Utf8JsonWriter, TItem>>? itemWriter)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (chunkMethodId is not null)
        {
            ArgumentNullException.ThrowIfNull(itemWriter);
        }

        Name = name;
        ChunkMethodId = chunkMethodId;
        _itemWriter = itemWriter;
    }

    /// <summary>The method's name, for messages.</summary>
    public string Name { get; }

    /// <summary>The identity of the chunk entry, or null when the method cannot run remotely (an instance or generic method).</summary>
    public string? ChunkMethodId { get; }

    /// <summary>
    /// Runs the method over <paramref name="items"/> on <paramref name="executor"/>, yielding results in input order, as
    /// <see cref="ExecutorExtensions.Map{T, TResult}(IExecutor, Func{T, TResult}, IEnumerable{T}, TimeSpan?, int?)"/>
    /// does (the work starts at once; <paramref name="bufferSize"/> items ahead at most; a failed item rethrows at its
    /// place; stopping early cancels what has not started). On a remote executor each chunk of items is one call.
    /// </summary>
    /// <param name="executor">Where the calls run.</param>
    /// <param name="items">The inputs.</param>
    /// <param name="timeout">The limit for the whole map, from this call.</param>
    /// <param name="bufferSize">How many items may be taken ahead of the consumer; null for all.</param>
    /// <param name="chunkSize">Items per remote call; null chooses (see the README); ignored where calls run in this process.</param>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> or <paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="chunkSize"/> is less than 1, or <paramref name="timeout"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The executor runs calls remotely and the method cannot run there.</exception>
    public IEnumerable<TResult> Map(IExecutor executor, IEnumerable<TItem> items, TimeSpan? timeout = null, int? bufferSize = null, int? chunkSize = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(items);
        Deadline deadline = Deadline.From(timeout, nameof(timeout));
        CheckSizes(bufferSize, chunkSize);
        bool remote = IsRemote(executor);
        if (!remote && _invoke is not null)
        {
            return executor.Map(_invoke, items, timeout, bufferSize);
        }

        return new ChunkedMap<TItem, TResult>(executor, this, ItemSource<TItem>.From(items), deadline, bufferSize, remote ? chunkSize : null, remote);
    }

    /// <summary>
    /// <see cref="Map"/> over an asynchronous stream: the source is read as chunks are sent, results are awaited, not blocked on.
    /// Enumerating it starts the work.
    /// </summary>
    /// <inheritdoc cref="Map"/>
    public IAsyncEnumerable<TResult> MapAsync(IExecutor executor, IAsyncEnumerable<TItem> items, TimeSpan? timeout = null, int? bufferSize = null, int? chunkSize = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(items);
        Deadline.From(timeout, nameof(timeout));
        CheckSizes(bufferSize, chunkSize);
        bool remote = IsRemote(executor);
        return new DeferredAsyncMap(this, executor, items, timeout, bufferSize, remote ? chunkSize : null, remote);
    }

    /// <summary>Runs the method on one item here (a chunk that runs in this process).</summary>
    internal ValueTask<TResult> InvokeAsync(TItem item, CancellationToken cancellationToken) =>
        _invoke is { } invoke ? new ValueTask<TResult>(invoke(item)) : _invokeAsync!(item, cancellationToken);

    /// <summary>What writes one item for the chunk entry with <paramref name="options"/> (made once per options).</summary>
    internal Action<Utf8JsonWriter, TItem> ItemWriter(JsonSerializerOptions options)
    {
        if (Volatile.Read(ref _lastWriter) is { } last && ReferenceEquals(last.Options, options))
        {
            return last.Write;
        }

        Action<Utf8JsonWriter, TItem> write = _itemWriter!(options);
        Volatile.Write(ref _lastWriter, new WriterFor(options, write));
        return write;
    }

    private sealed record WriterFor(JsonSerializerOptions Options, Action<Utf8JsonWriter, TItem> Write);

    private bool IsRemote(IExecutor executor)
    {
        if (CancellationView.Unwrap(executor, out _) is not RemoteExecutor remote)
        {
            return false;
        }

        if (ChunkMethodId is null)
        {
            throw new NotSupportedException(
                $"'{remote.Name}' runs calls elsewhere, so its typed map runs only static, non-generic [Submittable] methods, whose chunks it sends " +
                $"by identity; {Name} is an instance or generic method (or a project with PipelinesRemoteCalls off). Map it on a ThreadPoolExecutor instead.");
        }

        return true;
    }

    private static void CheckSizes(int? bufferSize, int? chunkSize)
    {
        if (bufferSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "bufferSize must be at least 1, or null to take every item at once.");
        }

        if (chunkSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "chunkSize must be at least 1, or null to let the map choose.");
        }
    }

    /// <summary>An async map whose work starts when it is enumerated (each enumeration is its own map).</summary>
    private sealed class DeferredAsyncMap(MapMethod<TItem, TResult> method, IExecutor executor, IAsyncEnumerable<TItem> items, TimeSpan? timeout, int? bufferSize, int? chunkSize, bool remote)
        : IAsyncEnumerable<TResult>
    {
        public IAsyncEnumerator<TResult> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new ChunkedMap<TItem, TResult>(executor, method, ItemSource<TItem>.From(items, cancellationToken), Deadline.From(timeout, nameof(timeout)), bufferSize, chunkSize, remote, cancellationToken);
    }
}
