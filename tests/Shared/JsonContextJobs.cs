using System.Text.Json.Serialization;

namespace Pipelines.SharedTestJobs;

/// <summary>Two numbers, written with the names of <see cref="SnakeCaseJsonContext"/>: <c>first_value</c>, <c>second_value</c>.</summary>
/// <param name="FirstValue">The first number.</param>
/// <param name="SecondValue">The second number.</param>
public sealed record Pair(int FirstValue, int SecondValue);

/// <summary>
/// A source-generated JSON context whose property names differ from the reflection defaults: a side that read a
/// <see cref="Pair"/> with the defaults would see zeros.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Pair))]
[JsonSerializable(typeof(int))]
internal sealed partial class SnakeCaseJsonContext : JsonSerializerContext;

/// <summary>Jobs whose arguments travel through <see cref="SnakeCaseJsonContext"/> (linked into the process-pool and cluster tests).</summary>
public static class JsonContextJobs
{
    /// <summary>The pair's sum.</summary>
    [Submittable]
    public static int SumOf(Pair pair) => pair.FirstValue + pair.SecondValue;

    /// <summary>The pair, swapped.</summary>
    [Submittable]
    public static Pair Swap(Pair pair) => new(pair.SecondValue, pair.FirstValue);
}
