using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading.Tasks;
using Pipelines.Remoting;

namespace Pipelines.Internals;

/// <summary>
/// One chunk of a typed map as a call: here, it runs its items one after another (a map of an asynchronous method); on a
/// remote executor it is one call of the method's chunk entry, its items written as one JSON array (<see cref="MapChunks"/>).
/// </summary>
/// <remarks>
/// A primary constructor: its fields are set before the base constructor accepts the call (telemetry reads
/// <see cref="MethodId"/> there); the map calls <see cref="Begin"/> once it is constructed.
/// </remarks>
internal sealed class MapChunk<TItem, TResult>(IExecutor executor, MapMethod<TItem, TResult> method, TItem[] items, int count)
    : AsyncCallFuture<ChunkResults<TResult>>(executor), IRemoteCall, IMapChunk
{
    private readonly MapMethod<TItem, TResult> _method = method;
    private readonly int _count = count;
    private TItem[]? _items = items;

    /// <summary>Ends construction: the chunk is queued (it has no future arguments).</summary>
    public void Begin() => Start();

    /// <summary>How many items the chunk carries.</summary>
    public int Count => _count;

    /// <summary>When it was submitted (<see cref="Stopwatch"/> ticks), for the round trip the chunk sizer measures.</summary>
    public long Submitted { get; } = Stopwatch.GetTimestamp();

    public string MethodId => _method.ChunkMethodId ?? _method.Name;

    public string MappedMethod => _method.Name;

    public int ArgumentCount => 1;

    public Future? GetArgumentFuture(int index) => index == 0 ? null : throw OutOfRange(index);

    public void WriteArgument(int index, Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        if (index != 0)
        {
            throw OutOfRange(index);
        }

        TItem[] items = _items ?? throw new InvalidOperationException("The chunk has finished; its items are released.");
        Action<Utf8JsonWriter, TItem> write = _method.ItemWriter(options);
        writer.WriteStartArray();
        for (int i = 0; i < _count; i++)
        {
            write(writer, items[i]);
        }

        writer.WriteEndArray();
    }

    protected override async ValueTask<ChunkResults<TResult>> InvokeAsync()
    {
        TItem[] items = _items!;
        var results = new ChunkResults<TResult>(_count);
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < _count; i++)
        {
            try
            {
                CancellationToken.ThrowIfCancellationRequested();
                results.Values[i] = await _method.InvokeAsync(items[i], CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                results.Fail(i, ExceptionDispatchInfo.Capture(ex));
            }
        }

        results.RunSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return results;
    }

    protected override void ReleaseArguments() => _items = null;

    private protected override ChunkResults<TResult> ReadRemoteResult(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options) =>
        MapChunks.Read<TResult>(resultJson, options, (OwnerExecutor as RemoteExecutor)?.RemoteExceptions ?? RemoteExceptionFactory.Default, _count);

    private static ArgumentOutOfRangeException OutOfRange(int index) => new(nameof(index), index, "A map chunk has one argument: its items.");
}

/// <summary>A chunk of a typed map, whatever its item and result types (for names in telemetry).</summary>
internal interface IMapChunk
{
    /// <summary>The mapped method's name, e.g. <c>Demo.Jobs.IsPrime</c>.</summary>
    string MappedMethod { get; }
}
