using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Internals;

/// <summary>Where an asynchronous chunk is in its items, kept across awaits as a reader's state and position.</summary>
internal sealed class ItemCursor
{
    private JsonReaderState _state;
    private long _consumed;
    private bool _started;

    /// <summary>Reads the next item and starts its call; false after the last item.</summary>
    public bool TryStart<TResult>(ReadOnlyMemory<byte> items, MapItem<ValueTask<TResult>> startItem, CancellationToken cancellationToken, out ValueTask<TResult> pending, out Exception? failed)
    {
        var reader = new Utf8JsonReader(items.Span.Slice((int)_consumed), isFinalBlock: true, _state);
        if (!_started)
        {
            reader.Read(); // the items array
            _started = true;
        }

        pending = default;
        failed = null;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        failed = MapChunks.ReadItem(ref reader, startItem, cancellationToken, out pending);
        _consumed += reader.BytesConsumed;
        _state = reader.CurrentState;
        return true;
    }
}
