using System;
using System.Collections.Generic;
using System.Diagnostics;
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

    /// <summary>The worker's current span as "traceId/parentSpanId/name", or null without one.</summary>
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

    /// <summary>Starts <c>sleep</c> as a child of the worker and returns its process id (the call does not wait for it).</summary>
    [Submittable]
    public static int StartSleeper(int seconds) => StartSleep(seconds).Id;

    /// <summary>Starts <c>sleep</c>, then ends the worker with <paramref name="code"/>: the child outlives it.</summary>
    [Submittable]
    public static int StartSleeperThenExit(int seconds, int code, string readyFile)
    {
        File.WriteAllText(readyFile, StartSleep(seconds).Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.Exit(code);
        return -1;
    }

    /// <summary>Starts <c>sleep</c>, announces the child's pid in <paramref name="readyFile"/>, then never returns.</summary>
    [Submittable]
    public static int StartSleeperThenBlock(int seconds, string readyFile)
    {
        File.WriteAllText(readyFile, StartSleep(seconds).Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>How many of this worker's protocol pipes a process it starts holds too (0: none).</summary>
    [Submittable]
    public static int ProtocolPipesSharedWithAChild()
    {
        // The pipes the pool named in this worker's initial environment (PIPELINES_PROCESS_WORKER=in;out;token).
        string channel = File.ReadAllText("/proc/self/environ").Split('\0').Single(v => v.StartsWith("PIPELINES_PROCESS_WORKER=", StringComparison.Ordinal));
        string[] descriptors = channel[(channel.IndexOf('=') + 1)..].Split(';')[..2];
        var protocol = descriptors.Select(fd => new FileInfo($"/proc/self/fd/{fd}").LinkTarget!).ToHashSet(StringComparer.Ordinal);
        Assert(protocol.All(target => target.StartsWith("pipe:", StringComparison.Ordinal)));

        using Process child = StartSleep(30);
        try
        {
            Thread.Sleep(200); // the child has exec'd by now; its descriptors are final
            return Directory.GetFiles($"/proc/{child.Id}/fd").Count(fd => new FileInfo(fd).LinkTarget is { } target && protocol.Contains(target));
        }
        finally
        {
            child.Kill();
        }
    }

    /// <summary>The worker's process id and its process group id, from /proc.</summary>
    [Submittable]
    public static int[] ProcessGroup()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // state ppid pgrp ...
        return new[] { Environment.ProcessId, int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>Announces its pid in <paramref name="readyFile"/>, waits until <paramref name="goFile"/> exists, returns 42.</summary>
    [Submittable]
    public static int WaitForGo(string readyFile, string goFile)
    {
        File.WriteAllText(readyFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        while (!File.Exists(goFile))
        {
            Thread.Sleep(10);
        }

        return 42;
    }

    [Submittable]
    public static string Big(int characters) => new('x', characters);

    [Submittable]
    public static int ThrowArgumentNull(string parameter, string message) => throw new ArgumentNullException(parameter, message);

    [Submittable]
    public static int ThrowOutOfRange(string parameter, int actual, string message) => throw new ArgumentOutOfRangeException(parameter, actual, message);

    [Submittable]
    public static int ThrowDisposed(string objectName) => throw new ObjectDisposedException(objectName);

    [Submittable]
    public static int ThrowWithInner(string outer, string inner) => throw new InvalidOperationException(outer, new FormatException(inner, new IOException("innermost")));

    private static Process StartSleep(int seconds) =>
        Process.Start(new ProcessStartInfo("sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) { UseShellExecute = false })!;

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("The worker's protocol descriptors are not pipes.");
        }
    }

    /// <summary>Fails for <paramref name="bad"/>, returns x * 10 otherwise (a map with a failing item).</summary>
    [Submittable]
    public static int TimesTenUnless(int x, int bad) => x == bad ? throw new InvalidOperationException($"item {x} is bad") : x * 10;

    /// <summary>Appends x to <paramref name="file"/> (which items ran), then sleeps <paramref name="milliseconds"/>.</summary>
    [Submittable]
    public static int Record(string file, int x, int milliseconds)
    {
        File.AppendAllText(file, x.ToString(System.Globalization.CultureInfo.InvariantCulture) + Environment.NewLine);
        Thread.Sleep(milliseconds);
        return x;
    }

    [Submittable]
    public static int SleepThenReturn(int milliseconds, int x)
    {
        Thread.Sleep(milliseconds);
        return x;
    }

    /// <summary>What <see cref="SetUp"/> stored in this worker, and how many times it ran here.</summary>
    [Submittable]
    public static string? SetUpState() => s_setUp is null ? null : $"{s_setUp}/{s_setUps}/{Environment.ProcessId}";

    /// <summary>An initializer: stores <paramref name="value"/> for the calls of this worker.</summary>
    [Submittable]
    public static void SetUp(string value, int version)
    {
        s_setUp = $"{value}-{version}";
        s_setUps++;
    }

    /// <summary>An initializer that takes its time, as a worker with a slow start-up does.</summary>
    [Submittable]
    public static void SlowSetUp(int milliseconds) => Thread.Sleep(milliseconds);

    /// <summary>Adds, under a time limit of its own.</summary>
    [Submittable(TimeoutMilliseconds = 2_000)]
    public static int AddWithinTwoSeconds(int a, int b) => a + b;

    /// <summary>Announces itself (a file appears), then never returns: its own time limit ends it.</summary>
    [Submittable(TimeoutMilliseconds = 1_000)]
    public static int BlockForeverWithinASecond(string readyFile) => BlockForever(readyFile);

    /// <summary>An initializer that fails the way a misconfigured one does.</summary>
    [Submittable]
    public static void FailSetUp(string message) => throw new ArgumentException(message, "configuration");

    private static string? s_setUp;
    private static int s_setUps;
}
