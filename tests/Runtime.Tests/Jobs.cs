using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Pipelines.Tests;

/// <summary>
/// The jobs the runtime tests submit through their generated stubs (<c>pool.SubmitAdd(a, b)</c>), as users do. An
/// argument may be a value or a future; what a job observes (runs, threads, ambient values) goes into an object the test
/// passes in and reads afterwards.
/// </summary>
public static partial class Jobs
{
    /// <summary>Returns its argument.</summary>
    [Submittable]
    public static int Identity(int value) => value;

    /// <summary>The sum.</summary>
    [Submittable]
    public static int Add(int a, int b) => a + b;

    /// <summary>The product.</summary>
    [Submittable]
    public static int Multiply(int a, int b) => a * b;

    /// <summary><paramref name="value"/> times <paramref name="factor"/> plus <paramref name="offset"/>.</summary>
    [Submittable]
    public static int MultiplyAdd(int value, int factor, int offset) => value * factor + offset;

    /// <summary>The quotient.</summary>
    [Submittable]
    public static int Divide(int dividend, int divisor) => dividend / divisor;

    /// <summary>The sum modulo <paramref name="modulus"/>.</summary>
    [Submittable]
    public static int AddModulo(int a, int b, int modulus) => (a + b) % modulus;

    /// <summary>The sum, or throws <paramref name="fault"/> when there is one.</summary>
    [Submittable]
    public static int AddOrThrow(int a, int b, Exception? fault) => fault is null ? a + b : throw fault;

    /// <summary>Throws <paramref name="error"/> once its input is ready.</summary>
    [Submittable]
    public static int Fail(int input, Exception error) => throw error;

    /// <summary><paramref name="value"/>, or <paramref name="fallback"/> for null.</summary>
    [Submittable]
    public static string ValueOr(string? value, string fallback) => value ?? fallback;

    /// <summary>Counts that it ran, once its input is ready; returns 1.</summary>
    [Submittable]
    public static int CountRun(RunCounter runs, int input)
    {
        runs.Increment();
        return 1;
    }

    /// <summary>Counts that it ran and returns the sum.</summary>
    [Submittable]
    public static int CountedAdd(RunCounter runs, int a, int b)
    {
        runs.Increment();
        return a + b;
    }

    /// <summary>Records the managed thread it runs on and returns the sum.</summary>
    [Submittable]
    public static int AddOnRecordedThread(StrongBox<int> thread, int a, int b)
    {
        thread.Value = Environment.CurrentManagedThreadId;
        return a + b;
    }

    /// <summary><paramref name="prefix"/>, an arrow and the name of the thread it runs on.</summary>
    [Submittable]
    public static string AppendThreadName(string? prefix) => prefix + "->" + Thread.CurrentThread.Name;

    /// <summary>The value <paramref name="local"/> has where the call runs, once its input is ready.</summary>
    [Submittable]
    public static string? ReadLocal(AsyncLocal<string?> local, int input) => local.Value;

    /// <summary>Fails while it has run at most <paramref name="failures"/> times; retried up to three times.</summary>
    [Submittable(Retries = 3)]
    public static int FlakyRetriedThrice(RunCounter runs, int failures) => FailWhileAtMost(runs, failures);

    /// <summary>Fails while it has run at most <paramref name="failures"/> times; retried up to twice.</summary>
    [Submittable(Retries = 2)]
    public static int FlakyRetriedTwice(RunCounter runs, int failures) => FailWhileAtMost(runs, failures);

    /// <summary>Fails while it has run at most <paramref name="failures"/> times; retried once.</summary>
    [Submittable(Retries = 1)]
    public static int FlakyRetriedOnce(RunCounter runs, int failures) => FailWhileAtMost(runs, failures);

    /// <summary>Waits for its token (its call times out after 50 ms), sets <paramref name="observed"/> and returns 1.</summary>
    [Submittable(TimeoutMilliseconds = 50)]
    public static int WaitOutTheTimeout(ManualResetEventSlim observed, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne(Wait.Long);
        observed.Set();
        return 1;
    }

    /// <summary>Throws an <see cref="IOException"/> naming the run ("run 2") while it is among the first <paramref name="failures"/>; then returns the run's number.</summary>
    private static int FailWhileAtMost(RunCounter runs, int failures)
    {
        int run = runs.Increment();
        return run <= failures ? throw new IOException($"run {run}") : run;
    }
}
