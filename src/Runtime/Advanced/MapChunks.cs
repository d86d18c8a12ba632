using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Advanced;

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
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class MapChunks
{
    private const int MaxExceptionDepth = 8;

    /// <summary>Runs a chunk of a synchronous method: <paramref name="runItem"/> on each item of the chunk, in order.</summary>
    /// <param name="arguments">The call's arguments: one JSON array of items.</param>
    /// <param name="options">Serialization options; their resolver supplies the result's type metadata.</param>
    /// <param name="result">Where the chunk's result is written.</param>
    /// <param name="cancellationToken">Fires when the chunk is cancelled.</param>
    /// <param name="runItem">Reads one item (the argument, or an array of the arguments) and runs the method on it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ValueTask Run<TResult>(JsonElement arguments, JsonSerializerOptions options, Utf8JsonWriter result, CancellationToken cancellationToken, Func<JsonElement, TResult> runItem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(runItem);
        var typeInfo = (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult));
        long started = Stopwatch.GetTimestamp();
        List<(int Index, Exception Error)>? errors = null;
        int index = 0;
        result.WriteStartObject();
        result.WriteStartArray("r");
        foreach (JsonElement item in arguments[0].EnumerateArray())
        {
            TResult value;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                value = runItem(item);
            }
            catch (Exception ex)
            {
                (errors ??= new()).Add((index++, ex));
                result.WriteNullValue();
                continue;
            }

            JsonSerializer.Serialize(result, value, typeInfo); // a result that does not serialize fails the chunk
            index++;
        }

        result.WriteEndArray();
        End(result, errors, started);
        return default;
    }

    /// <summary>Runs a chunk of an asynchronous method: <paramref name="runItem"/> on each item of the chunk, one after another.</summary>
    /// <inheritdoc cref="Run{TResult}"/>
    public static async ValueTask RunAsync<TResult>(JsonElement arguments, JsonSerializerOptions options, Utf8JsonWriter result, CancellationToken cancellationToken, Func<JsonElement, ValueTask<TResult>> runItem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(runItem);
        var typeInfo = (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult));
        long started = Stopwatch.GetTimestamp();
        List<(int Index, Exception Error)>? errors = null;
        int index = 0;
        result.WriteStartObject();
        result.WriteStartArray("r");
        foreach (JsonElement item in arguments[0].EnumerateArray())
        {
            TResult value;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                value = await runItem(item).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (errors ??= new()).Add((index++, ex));
                result.WriteNullValue();
                continue;
            }

            JsonSerializer.Serialize(result, value, typeInfo);
            index++;
        }

        result.WriteEndArray();
        End(result, errors, started);
    }

    /// <summary>Reads a chunk's result (the parent's side); its failed items' exceptions are rebuilt by <paramref name="exceptions"/>.</summary>
    /// <exception cref="JsonException">The result is not a chunk result of <paramref name="expectedCount"/> items.</exception>
    internal static ChunkResults<TResult> Read<TResult>(ReadOnlySpan<byte> json, JsonSerializerOptions options, RemoteExceptionFactory exceptions, int expectedCount)
    {
        var typeInfo = (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult));
        var results = new ChunkResults<TResult>(expectedCount);
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        int count = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "r":
                    count = ReadValues(ref reader, typeInfo, results);
                    break;
                case "e":
                    ReadErrors(ref reader, exceptions, results);
                    break;
                case "us":
                    results.RunSeconds = reader.GetInt64() / 1e6;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (count != expectedCount)
        {
            throw new JsonException($"A map chunk of {expectedCount} items came back with {Math.Max(count, 0)} results.");
        }

        return results;
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

    private static int ReadValues<TResult>(ref Utf8JsonReader reader, JsonTypeInfo<TResult> typeInfo, ChunkResults<TResult> results)
    {
        Expect(ref reader, JsonTokenType.StartArray, read: false);
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == results.Values.Length)
            {
                throw new JsonException("A map chunk came back with more results than it had items.");
            }

            results.Values[count++] = reader.TokenType == JsonTokenType.Null ? default! : JsonSerializer.Deserialize(ref reader, typeInfo)!;
        }

        return count;
    }

    private static void ReadErrors<TResult>(ref Utf8JsonReader reader, RemoteExceptionFactory exceptions, ChunkResults<TResult> results)
    {
        Expect(ref reader, JsonTokenType.StartArray, read: false);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int index = -1;
            Exception? error = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                reader.Read();
                if (property == "i")
                {
                    index = reader.GetInt32();
                }
                else if (property == "x")
                {
                    error = ReadException(ref reader, exceptions, 0);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (index < 0 || index >= results.Values.Length || error is null)
            {
                throw new JsonException($"A map chunk reported a failure of item {index}, which it does not have.");
            }

            results.Fail(index, ExceptionDispatchInfo.Capture(error));
        }
    }

    private static Exception ReadException(ref Utf8JsonReader reader, RemoteExceptionFactory exceptions, int depth)
    {
        if (depth >= MaxExceptionDepth)
        {
            throw new JsonException($"A map chunk reported an exception chained more than {MaxExceptionDepth} deep.");
        }

        Expect(ref reader, JsonTokenType.StartObject, read: false);
        string? type = null, message = null, parameter = null, stack = null;
        Exception? inner = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "t":
                    type = reader.GetString();
                    break;
                case "m":
                    message = reader.GetString();
                    break;
                case "p":
                    parameter = reader.GetString();
                    break;
                case "s":
                    stack = reader.GetString();
                    break;
                case "n":
                    inner = ReadException(ref reader, exceptions, depth + 1);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return exceptions.Create(type ?? typeof(Exception).FullName!, message ?? string.Empty, parameter, stack, inner);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != token)
        {
            throw new JsonException($"A map chunk's result is malformed: expected {token} at byte {reader.TokenStartIndex}.");
        }
    }
}

/// <summary>The results of one chunk of a map: each item's value or exception, and how long the items ran.</summary>
internal sealed class ChunkResults<TResult>(int count)
{
    public TResult[] Values { get; } = new TResult[count];

    public ExceptionDispatchInfo?[]? Errors { get; private set; }

    /// <summary>How long the items ran where the chunk ran, in seconds; -1 if unknown.</summary>
    public double RunSeconds { get; set; } = -1;

    public void Fail(int index, ExceptionDispatchInfo error) => (Errors ??= new ExceptionDispatchInfo?[Values.Length])[index] = error;
}
