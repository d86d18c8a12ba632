using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.IntegrationTests;

public interface IShape
{
    double Area { get; }
}

public sealed record Square(double Side) : IShape
{
    public double Area => Side * Side;
}

public enum Color
{
    Red,
    Green,
    Blue = 7,
}

/// <summary>Static methods of every shape the generator must handle.</summary>
public static partial class Jobs
{
    /// <summary>Adds two numbers.</summary>
    /// <param name="a">The first addend.</param>
    /// <param name="b">The second addend.</param>
    /// <returns>The sum.</returns>
    [Submittable]
    public static int Add(int a, int b) => a + b;

    [Submittable]
    public static double TotalArea(IShape first, IShape? second) => first.Area + (second?.Area ?? 0);

    [Submittable]
    public static string Describe(object? value) => value?.ToString() ?? "null";

    [Submittable]
    public static string Greet(string? name) => name is null ? "hello, nobody" : $"hello, {name}";

    [Submittable]
    public static int OrZero(int? value) => value ?? 0;

    [Submittable]
    public static int Sum(int[] values) => values.Sum();

    [Submittable]
    public static (int Min, int Max) Range((int, int) pair) => (Math.Min(pair.Item1, pair.Item2), Math.Max(pair.Item1, pair.Item2));

    [Submittable]
    public static string Options(int number, string label = "n", Color color = Color.Blue, double scale = 1.5, string? note = null) =>
        $"{label}{number}:{color}:{scale}:{note ?? "-"}";

    [Submittable]
    public static T Identity<T>(T value) => value;

    [Submittable]
    public static List<T> Repeat<T>(T value, int count)
        where T : notnull => Enumerable.Repeat(value, count).ToList();

    [Submittable]
    public static int Count<T>(IEnumerable<T> items) => items.Count();

    [Submittable]
    public static async Task<int> DoubleAsync(int value, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return value * 2;
    }

    [Submittable]
    public static ValueTask<string> EchoAsync(string text) => new(text);

    [Submittable]
    public static Task DelayAsync(int milliseconds, CancellationToken cancellationToken) => Task.Delay(milliseconds, cancellationToken);

    public static int Counter;

    [Submittable]
    public static void Increment(int by) => Interlocked.Add(ref Counter, by);

    [Submittable]
    public static int Apply(Func<int, int> function, int value) => function(value);

    [Submittable(Name = "Multiply")]
    public static int Times(int a, int b) => a * b;

    [Submittable]
    public static int Fail(string message) => throw new InvalidOperationException(message);

    [Submittable]
    public static int WaitForCancel(CancellationToken cancellationToken, ManualResetEventSlim started)
    {
        started.Set();
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    [Submittable]
    internal static int Internal(int x) => x + 1;

    [Submittable]
    public static int Keywords(int @class, string @event) => @class + @event.Length;

    [Submittable]
    public static int ParamsArePlainArrays(params int[] values) => values.Length;

    public static class Nested
    {
        [Submittable]
        public static string Shout(string text) => text.ToUpperInvariant();
    }
}

/// <summary>A non-partial, non-static type with an instance method.</summary>
public class Scaler(int factor)
{
    public int Factor { get; } = factor;

    [Submittable]
    public int Scale(int value) => value * Factor;
}

public struct Counter
{
    public int Start;

    [Submittable]
    public readonly int Next() => Start + 1;
}
