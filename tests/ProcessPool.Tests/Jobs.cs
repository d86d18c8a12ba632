using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.ProcessPoolTests;

public sealed record Point(int X, int Y);

public sealed record Order(string Customer, List<Point> Stops, Dictionary<string, int>? Tags);

/// <summary>Methods the tests run in worker processes. Each runs in a different process from the test.</summary>
public static class Jobs
{
    [Submittable]
    public static int Add(int a, int b) => a + b;

    [Submittable]
    public static double Scale(double value, long factor) => value * factor;

    [Submittable]
    public static string? Echo(string? text) => text;

    [Submittable]
    public static bool IsNull(string? text) => text is null;

    [Submittable]
    public static int? MaybeDouble(int? value) => value * 2;

    [Submittable]
    public static Point Move(Point point, int dx, int dy) => point with { X = point.X + dx, Y = point.Y + dy };

    [Submittable]
    public static Order Reverse(Order order) => order with { Stops = Enumerable.Reverse(order.Stops).ToList() };

    [Submittable]
    public static Dictionary<string, int> CountWords(List<string> words) =>
        words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());

    [Submittable]
    public static int[] Doubled(int[] values) => values.Select(v => v * 2).ToArray();

    [Submittable]
    public static async Task<string> ConcatLater(string a, string b)
    {
        await Task.Yield();
        return a + b;
    }

    /// <summary>Work spread over threads inside the worker (they run this module's code while the call waits).</summary>
    [Submittable]
    public static long SumOfSquaresInParallel(int count)
    {
        long total = 0;
        Parallel.For(0, count, () => 0L, (i, _, local) => local + ((long)i * i), local => Interlocked.Add(ref total, local));
        return total;
    }

    [Submittable]
    public static async Task<int> DelayThenAdd(int a, int b)
    {
        await Task.Delay(10).ConfigureAwait(false);
        return a + b;
    }

    [Submittable]
    public static void WriteFile(string path, string text) => File.WriteAllText(path, text);

    [Submittable]
    public static int ProcessId() => Environment.ProcessId;

    /// <summary>The worker's current span as "traceId/parentSpanId/name" (issue 16), or null without one.</summary>
    [Submittable]
    public static string? CurrentTrace() =>
        System.Diagnostics.Activity.Current is { } span ? $"{span.TraceId}/{span.ParentSpanId}/{span.DisplayName}" : null;

    [Submittable]
    public static int Fail(string message) => throw new InvalidOperationException(message);

    [Submittable]
    public static int FailWithoutMessageConstructor(string message) => throw new NoMessageConstructorException(message, 42);

    /// <summary>An exception the parent cannot rebuild: it has no (string) or (string, Exception) constructor.</summary>
    public sealed class NoMessageConstructorException(string message, int code) : Exception(message)
    {
        public int Code { get; } = code;
    }

    [Submittable]
    public static int ExitWith(int code)
    {
        Environment.Exit(code);
        return -1;
    }

    [Submittable]
    public static int Recurse(int depth) => depth == int.MaxValue ? 0 : Recurse(depth + 1) + 1;

    /// <summary>Announces itself (a file appears), then never returns.</summary>
    [Submittable]
    public static int BlockForever(string readyFile)
    {
        File.WriteAllText(readyFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}
