using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// IExecutor is implemented by Pipelines' executors and their cancellation views only: generated stubs and
/// WithCancellation refuse another implementation at once, naming it and what to use instead.
/// </summary>
public class OutsideExecutorTests
{
    [Fact]
    public void AGeneratedStubRefusesAnOutsideImplementationAndSaysWhatToUse()
    {
        using var outside = new DecoratingExecutor(new ThreadPoolExecutor(1));
        var error = Assert.Throws<ArgumentException>(() => outside.SubmitTwice(1));
        Assert.Equal("executor", error.ParamName);
        Assert.Contains(typeof(DecoratingExecutor).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TaskSchedulerExecutor), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, outside.Inner.QueuedCount);
    }

    [Fact]
    public void WithCancellationRefusesAnOutsideImplementationAtOnce()
    {
        using var outside = new DecoratingExecutor(new ThreadPoolExecutor(1));
        var error = Assert.Throws<ArgumentException>(() => outside.WithCancellation(CancellationToken.None));
        Assert.Equal("executor", error.ParamName);
        Assert.Contains(typeof(DecoratingExecutor).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AViewOfAViewOfAPipelinesExecutorRunsStubs()
    {
        using var pool = new ThreadPoolExecutor(1);
        using var cancel = new CancellationTokenSource();
        IExecutor view = pool.WithCancellation(cancel.Token).WithCancellation(CancellationToken.None);
        Assert.Equal(4, view.SubmitTwice(2).GetResult(Wait.Long));
    }

    /// <summary>What a user might write: an executor that forwards to a Pipelines one.</summary>
    private sealed class DecoratingExecutor(ThreadPoolExecutor inner) : IExecutor
    {
        public ThreadPoolExecutor Inner { get; } = inner;

        public Future<T> Submit<T>(Func<T> function) => Inner.Submit(function);

        public Future<T> Submit<T>(Func<CancellationToken, T> function) => Inner.Submit(function);

        public Future<T> Submit<T>(Func<Task<T>> function) => Inner.Submit(function);

        public Future<T> Submit<T>(Func<CancellationToken, Task<T>> function) => Inner.Submit(function);

        public Future Submit(Action action) => Inner.Submit(action);

        public Future Submit(Func<Task> function) => Inner.Submit(function);

        public Future Submit(Func<CancellationToken, Task> function) => Inner.Submit(function);

        public void Shutdown(bool wait = true, bool cancelFutures = false) => Inner.Shutdown(wait, cancelFutures);

        public Task ShutdownAsync(bool cancelFutures = false) => Inner.ShutdownAsync(cancelFutures);

        public void Dispose() => Inner.Dispose();

        public ValueTask DisposeAsync() => Inner.DisposeAsync();
    }
}

/// <summary>The job the tests submit through its generated stub.</summary>
public static partial class OutsideJobs
{
    /// <summary>Twice <paramref name="x"/>.</summary>
    [Submittable]
    public static int Twice(int x) => 2 * x;
}
