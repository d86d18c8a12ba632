using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Remoting;

namespace Pipelines.Internals;

/// <summary>
/// The chunk entries of typed maps, where a remote executor runs calls: a chunk is one call whose argument is a JSON
/// array of items, and whose result holds each item's result or exception. Generated chunk entries call
/// <see cref="Run{TResult}"/> or <see cref="RunAsync{TResult}"/> with a function that reads one item and runs the method.
/// </summary>
/// <remarks>
/// The result is a JSON object: <c>"r"</c>, the results in item order (<c>null</c> for a failed item); <c>"e"</c>, the
/// failed items as <c>{"i": index, "x": exception}</c> with the exception as <c>{"t": type, "m": message, "p":
/// parameter name, "s": stack, "n": inner exception}</c>; and <c>"us"</c>, how long the items ran, in microseconds.
/// Items run in order; a failed item does not stop the others; once the call is cancelled the remaining items fail
/// with <see cref="OperationCanceledException"/>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class MapChunks
{
    private const int MaxExceptionDepth = 8;

    /// <summary>The converter of <typeparamref name="T"/> in <paramref name="options"/>, for <see cref="ReadValue{T}"/> and <see cref="WriteValue{T}"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static JsonConverter<T> ConverterOf<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonConverter<T>)options.GetTypeInfo(typeof(T)).Converter;
    }

    /// <summary>Reads the value at the reader's current token (the last token of the value is current afterwards).</summary>
    public static T ReadCurrent<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(converter);
        return reader.TokenType == JsonTokenType.Null && !converter.HandleNull ? default! : converter.Read(ref reader, typeof(T), options)!;
    }

    /// <summary>Moves to the next token and reads the value there (an argument of an item with several).</summary>
    public static T ReadValue<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        Next(ref reader);
        return ReadCurrent(ref reader, converter, options);
    }

    /// <summary>Checks that the current token starts an item of several arguments (a JSON array).</summary>
    public static void StartItem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A map item of several arguments must be a JSON array; found {reader.TokenType}.");
        }
    }

    /// <summary>Moves past the end of an item of several arguments.</summary>
    public static void EndItem(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException($"A map item has more values than its method has arguments; found {reader.TokenType}.");
        }
    }

    /// <summary>Writes one value with its converter (null as JSON null, as the serializer does).</summary>
    public static void WriteValue<T>(Utf8JsonWriter writer, T value, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(converter);
        if (value is null && !converter.HandleNull)
        {
            writer.WriteNullValue();
            return;
        }

        converter.Write(writer, value, options);
    }

    /// <summary>Runs a chunk of a synchronous method: <paramref name="runItem"/> on each item of the chunk, in order.</summary>
    /// <param name="arguments">The call's arguments, unparsed: a JSON array holding one array of items.</param>
    /// <param name="options">Serialization options; their resolver supplies the types' converters.</param>
    /// <param name="result">Where the chunk's result is written.</param>
    /// <param name="cancellationToken">Fires when the chunk is cancelled.</param>
    /// <param name="runItem">Reads one item at the reader's current token (the argument, or an array of the arguments) and runs the method on it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ValueTask Run<TResult>(ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, Utf8JsonWriter result, CancellationToken cancellationToken, MapItem<TResult> runItem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(runItem);
        JsonConverter<TResult> converter = ConverterOf<TResult>(options);
        long started = Stopwatch.GetTimestamp();
        List<(int Index, Exception Error)>? errors = null;
        int index = 0;
        var reader = new Utf8JsonReader(ItemsOf(arguments).Span);
        Next(ref reader);
        result.WriteStartObject();
        result.WriteStartArray("r");
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            Exception? failed = ReadItem(ref reader, runItem, cancellationToken, out TResult value);
            if (failed is not null)
            {
                (errors ??= new()).Add((index++, failed));
                result.WriteNullValue();
                continue;
            }

            WriteValue(result, value, converter, options); // a result that does not serialize fails the chunk
            index++;
        }

        result.WriteEndArray();
        End(result, errors, started);
        return default;
    }

    /// <summary>Runs a chunk of an asynchronous method: <paramref name="startItem"/> reads each item and starts the method; the calls run one after another.</summary>
    /// <inheritdoc cref="Run{TResult}"/>
    public static async ValueTask RunAsync<TResult>(ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, Utf8JsonWriter result, CancellationToken cancellationToken, MapItem<ValueTask<TResult>> startItem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(startItem);
        JsonConverter<TResult> converter = ConverterOf<TResult>(options);
        long started = Stopwatch.GetTimestamp();
        List<(int Index, Exception Error)>? errors = null;
        ReadOnlyMemory<byte> items = ItemsOf(arguments); // kept across awaits, where a reader cannot be
        var cursor = new ItemCursor();
        int index = 0;
        result.WriteStartObject();
        result.WriteStartArray("r");
        while (cursor.TryStart(items, startItem, cancellationToken, out ValueTask<TResult> pending, out Exception? failed))
        {
            TResult value;
            try
            {
                value = failed is null ? await pending.ConfigureAwait(false) : throw failed;
            }
            catch (Exception ex)
            {
                (errors ??= new()).Add((index++, ex));
                result.WriteNullValue();
                continue;
            }

            WriteValue(result, value, converter, options);
            index++;
        }

        result.WriteEndArray();
        End(result, errors, started);
    }

    private static void End(Utf8JsonWriter result, List<(int Index, Exception Error)>? errors, long started)
    {
        if (errors is not null)
        {
            result.WriteStartArray("e");
            foreach ((int index, Exception error) in errors)
            {
                result.WriteStartObject();
                result.WriteNumber("i", index);
                result.WritePropertyName("x");
                WriteException(result, error, 0);
                result.WriteEndObject();
            }

            result.WriteEndArray();
        }

        result.WriteNumber("us", (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        result.WriteEndObject();
    }

    private static void WriteException(Utf8JsonWriter writer, Exception exception, int depth)
    {
        writer.WriteStartObject();
        writer.WriteString("t", RemoteExceptionFactory.TypeNameOf(exception.GetType()));
        writer.WriteString("m", exception.Message);
        writer.WriteString("p", (exception as ArgumentException)?.ParamName);
        writer.WriteString("s", exception.StackTrace);
        if (exception.InnerException is { } inner && depth + 1 < MaxExceptionDepth)
        {
            writer.WritePropertyName("n");
            WriteException(writer, inner, depth + 1);
        }

        writer.WriteEndObject();
    }

    /// <summary>The items array inside the call's arguments (<c>[[items…]]</c>): a reader stops at its end, before the outer one.</summary>
    private static ReadOnlyMemory<byte> ItemsOf(ReadOnlyMemory<byte> arguments)
    {
        int outer = arguments.Span.IndexOf((byte)'[');
        return outer < 0 ? arguments : arguments.Slice(outer + 1);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("A map chunk's items end too early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != token)
        {
            throw new JsonException($"A map chunk's result is malformed: expected {token} at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>
    /// Runs <paramref name="item"/> at the reader's current token. An item that throws, while it is read or run, is
    /// skipped whole from where it started, and its exception returned; null when it succeeded.
    /// </summary>
    internal static Exception? ReadItem<T>(ref Utf8JsonReader reader, MapItem<T> item, CancellationToken cancellationToken, out T value)
    {
        Utf8JsonReader start = reader;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            value = item(ref reader);
            return null;
        }
        catch (Exception ex)
        {
            reader = start;
            reader.Skip();
            value = default!;
            return ex;
        }
    }
}
