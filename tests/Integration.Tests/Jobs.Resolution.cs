using System.Linq;

namespace Pipelines.IntegrationTests;

public sealed record Artifact(string Name);

/// <summary>Shapes where stubs must resolve as the methods do: nullable parameters, overloads, params.</summary>
public static partial class Jobs
{
    [Submittable]
    public static string Link(Artifact? artifact, string? note) => (artifact?.Name ?? "none") + (note is null ? string.Empty : ":" + note);

    [Submittable]
    public static int LengthOf(string? text) => text?.Length ?? -1;

    [Submittable]
    public static string Mix(int a, int b) => $"int {a + b}";

    [Submittable]
    public static string Mix(double a, double b) => $"double {a + b}";

    [Submittable]
    public static int SumAll(params int[] values) => values.Sum();

    [Submittable]
    public static string Label(string prefix, params string[] parts) => prefix + string.Join("+", parts);

    [Submittable]
    public static int Offset(int value, int by = 10, long? cap = 100) => (int)System.Math.Min(value + by, cap ?? long.MaxValue);

    /// <summary>Policies: the call class overrides the runtime's Retries and TimeoutMilliseconds.</summary>
    [Submittable(Retries = 2, TimeoutMilliseconds = 5000)]
    public static int Steady(int x) => x + 1;

    [Submittable]
    public static string Join(System.Collections.Generic.List<string> parts, string separator = ",") => string.Join(separator, parts);

    [Submittable]
    public static int Last(System.Collections.Generic.IReadOnlyList<int> values) => values[values.Count - 1];

    [Submittable]
    public static long Total(System.Collections.Generic.IEnumerable<int> values) => values.Sum(v => (long)v);

    [Submittable]
    public static string DescribeInt(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
