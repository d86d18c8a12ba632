using System;
using System.IO;
using Xunit;

namespace Pipelines.Tests;

/// <summary>The jobs of the retry tests: each throws its exception the first <c>failures</c> times it runs.</summary>
public static partial class RetryJobs
{
    /// <summary>Retries only I/O failures.</summary>
    [Submittable(Retries = 3, RetryOn = new[] { typeof(IOException) })]
    public static int RetriedOnIo(RunCounter runs, int failures, string throws) => Run(runs, failures, throws);

    /// <summary>Retries any failure but cancellation.</summary>
    [Submittable(Retries = 2)]
    public static int RetriedOnAnything(RunCounter runs, int failures, string throws) => Run(runs, failures, throws);

    private static int Run(RunCounter runs, int failures, string throws)
    {
        int run = runs.Increment();
        if (run <= failures)
        {
            throw throws switch
            {
                "io" => new IOException($"run {run}"),
                "file-not-found" => new FileNotFoundException($"run {run}"),
                _ => new InvalidOperationException($"run {run}"),
            };
        }

        return run;
    }
}

/// <summary><c>[Submittable(Retries = n, RetryOn = …)]</c>: which failures run a call again.</summary>
public class RetryOnTests
{
    [Theory]
    [InlineData("io")]
    [InlineData("file-not-found")] // a subtype of a listed type
    public void AListedExceptionTypeOrASubtypeIsRetried(string throws)
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var runs = new RunCounter();
        Assert.Equal(3, pool.SubmitRetriedOnIo(runs, 2, throws).GetResult(Wait.Long));
        Assert.Equal(3, runs.Count);
    }

    [Fact]
    public void AnExceptionTypeNotListedFaultsTheCallAfterOneRun()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var runs = new RunCounter();
        Future<int> call = pool.SubmitRetriedOnIo(runs, 2, "invalid-operation");
        Assert.Equal("run 1", Assert.Throws<InvalidOperationException>(() => call.GetResult(Wait.Long)).Message);
        Assert.Equal(1, runs.Count);
    }

    [Fact]
    public void WithoutRetryOnAnyExceptionIsRetried()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var runs = new RunCounter();
        Assert.Equal(3, pool.SubmitRetriedOnAnything(runs, 2, "invalid-operation").GetResult(Wait.Long));
    }

    [Fact]
    public void TheLastRunsExceptionFaultsTheCallWhenRetriesRunOut()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var runs = new RunCounter();
        Future<int> call = pool.SubmitRetriedOnIo(runs, 10, "io");
        Assert.Equal("run 4", Assert.Throws<IOException>(() => call.GetResult(Wait.Long)).Message);
        Assert.Equal(4, runs.Count);
    }
}
