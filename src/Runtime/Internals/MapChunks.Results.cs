using System;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.Remoting;

namespace Pipelines.Internals;

// The parent's side of a typed map's chunk: reading what a chunk entry wrote (see MapChunks for the format).
public static partial class MapChunks
{
    /// <summary>Reads a chunk's result (the parent's side); its failed items' exceptions are rebuilt by <paramref name="exceptions"/>.</summary>
    /// <exception cref="JsonException">The result is not a chunk result of <paramref name="expectedCount"/> items.</exception>
    internal static ChunkResults<TResult> Read<TResult>(ReadOnlySpan<byte> json, JsonSerializerOptions options, RemoteExceptionFactory exceptions, int expectedCount)
    {
        JsonConverter<TResult> converter = ConverterOf<TResult>(options);
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
                    count = ReadValues(ref reader, converter, options, results);
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

    private static int ReadValues<TResult>(ref Utf8JsonReader reader, JsonConverter<TResult> converter, JsonSerializerOptions options, ChunkResults<TResult> results)
    {
        Expect(ref reader, JsonTokenType.StartArray, read: false);
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == results.Values.Length)
            {
                throw new JsonException("A map chunk came back with more results than it had items.");
            }

            results.Values[count++] = ReadCurrent(ref reader, converter, options);
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
}
