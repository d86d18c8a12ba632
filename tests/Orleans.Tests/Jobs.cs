using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.OrleansTests;

public sealed record Point(int X, int Y);

public sealed record Order(string Customer, IReadOnlyList<Point> Stops, decimal? Discount);

public sealed record OrderSummary(string Customer, int StopCount, Point Last, decimal Discount);

/// <summary>The [Submittable] methods the test silos run. Silos are in this process, so the hooks are shared with the tests.</summary>
public static class Jobs
{
    [Submittable] public static int Add(int a, int b) => a + b;

    [Submittable] public static Point Scale(Point point, int factor) => new(point.X * factor, point.Y * factor);

    [Submittable] public static OrderSummary Summarize(Order order) =>
        new(order.Customer, order.Stops.Count, order.Stops[^1], order.Discount ?? 0m);

    [Submittable] public static string? Echo(string? text) => text;

    [Submittable] public static int Fail(string message) => throw new InvalidOperationException(message);

    /// <summary>Counts its runs under <paramref name="key"/>.</summary>
    [Submittable] public static int CountRun(string key, int value)
    {
        Hooks.Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
        return value;
    }

    /// <summary>Returns <paramref name="value"/> once the test opens gate <paramref name="key"/>; cancellable.</summary>
    [Submittable] public static async Task<int> Gated(string key, int value, CancellationToken cancellationToken)
    {
        Hooks.Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
        Hooks.Started(key).TrySetResult();
        await Hooks.Gate(key).Task.WaitAsync(cancellationToken);
        return value;
    }

    /// <summary>Blocks a worker thread until its token fires, then records that it saw it.</summary>
    [Submittable] public static int WaitForCancel(string key, CancellationToken cancellationToken)
    {
        Hooks.Started(key).TrySetResult();
        cancellationToken.WaitHandle.WaitOne();
        Hooks.Observed[key] = true;
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Holds a worker thread until the test opens gate <paramref name="key"/>, then returns <paramref name="value"/>; counts its runs.</summary>
    [Submittable] public static int Blocked(string key, int value)
    {
        Hooks.Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
        Hooks.Started(key).TrySetResult();
#pragma warning disable PIPE0001 // deliberately holding a worker thread: the point of the test
        Hooks.Gate(key).Task.Wait();
#pragma warning restore PIPE0001
        return value;
    }

    /// <summary>Like <see cref="Blocked"/>, but safe to run again, once: a run lost with its silo is retried.</summary>
    [Submittable(Retries = 1)] public static int BlockedAgain(string key, int value) => Blocked(key, value);

    /// <summary>Blocks a worker thread until the test opens gate <paramref name="key"/>, ignoring cancellation.</summary>
    [Submittable] public static int IgnoreToken(string key)
    {
        Hooks.Started(key).TrySetResult();
#pragma warning disable PIPE0001 // deliberately blocking and deaf to cancellation: the point of the test
        Hooks.Gate(key).Task.Wait();
#pragma warning restore PIPE0001
        return 1;
    }

    /// <summary>Blocks a worker thread for a while (a real, if small, piece of work) and counts its start.</summary>
    [Submittable] public static int Work(int milliseconds, int value)
    {
        Interlocked.Increment(ref Hooks.WorkStarted);
        Thread.Sleep(milliseconds);
        return value;
    }

    [Submittable] public static int Sum(int[] values) => values.Sum();

    /// <summary>Like <see cref="Work"/>, but safe to run again: retried when its outcome is unknown, recomputed when its result is lost.</summary>
    [Submittable(Retries = 3)] public static int WorkAgain(int milliseconds, int value)
    {
        Interlocked.Increment(ref Hooks.WorkStarted);
        Thread.Sleep(milliseconds);
        return value;
    }

    /// <summary>Like <see cref="Add"/>, but safe to run again.</summary>
    [Submittable(Retries = 3)] public static int Plus(int a, int b) => a + b;

    /// <summary>Throws an <see cref="IOException"/> on its first <paramref name="failures"/> runs under <paramref name="key"/>, then returns the run count.</summary>
    [Submittable(Retries = 3)] public static int Flaky(string key, int failures)
    {
        int runs = Hooks.Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
        return runs <= failures ? throw new IOException($"flaky run {runs}") : runs;
    }

    /// <summary>Throws an <see cref="IOException"/> once the test opens gate <paramref name="key"/>.</summary>
    [Submittable] public static async Task<int> FailAfterGate(string key)
    {
        Hooks.Started(key).TrySetResult();
        await Hooks.Gate(key).Task;
        throw new IOException($"failed after gate {key}");
    }

    /// <summary>Opens a span of the tests' own source named after <paramref name="key"/>; returns the trace id current inside (null: none).</summary>
    [Submittable] public static string? Traced(string key)
    {
        using Activity? inner = Hooks.Source.StartActivity("inside " + key);
        return Activity.Current?.TraceId.ToHexString();
    }

    /// <summary>Waits for its token, which its 300 ms timeout fires; records that the silo saw it.</summary>
    [Submittable(TimeoutMilliseconds = 300)] public static int TimesOut(string key, CancellationToken cancellationToken)
    {
        Hooks.Started(key).TrySetResult();
        cancellationToken.WaitHandle.WaitOne();
        Hooks.Observed[key] = true;
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }
}

public static class Hooks
{
    /// <summary>The tests' own source: a span a method opens on the silo (see <see cref="Jobs.Traced"/>).</summary>
    public const string SourceName = "Pipelines.OrleansTests";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly ConcurrentDictionary<string, int> Runs = new();
    public static readonly ConcurrentDictionary<string, bool> Observed = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_gates = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_started = new();
    public static int WorkStarted;

    public static TaskCompletionSource Gate(string key) => s_gates.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public static TaskCompletionSource Started(string key) => s_started.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public static int RunCount(string key) => Runs.TryGetValue(key, out int n) ? n : 0;
}
