using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Null delegates and sequences, bad sizes and timeouts: the right exception, naming the parameter.</summary>
public class BadInputTests
{
    private static void Param<TException>(string name, Action action)
        where TException : ArgumentException =>
        Assert.Equal(name, Assert.Throws<TException>(action).ParamName);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void MaxWorkersMustBePositive(int maxWorkers) =>
        Param<ArgumentOutOfRangeException>("maxWorkers", () => new ThreadPoolExecutor(maxWorkers));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(3_000_000_000.0)]
    public void ARemoteExecutorsRunTimeLimitMustBePositiveAndFitATimer(double milliseconds) =>
        Param<ArgumentOutOfRangeException>("RunTimeLimit", () => new LimitedExecutor(TimeSpan.FromMilliseconds(milliseconds)).Dispose());

    [Fact]
    public void AnInfiniteRunTimeLimitIsNoLimit()
    {
        using var executor = new LimitedExecutor(Timeout.InfiniteTimeSpan);
        Assert.Null(executor.Limit);
    }

    /// <summary>An executor of one's own that sets a run limit (it never receives a call).</summary>
    private sealed class LimitedExecutor : Remoting.RemoteExecutor
    {
        public LimitedExecutor(TimeSpan limit)
            : base("limited")
        {
            try
            {
                RunTimeLimit = limit;
            }
            catch
            {
                Dispose(); // a failed constructor leaves nothing registered behind
                throw;
            }
        }

        public TimeSpan? Limit => RunTimeLimit;

        protected override void Dispatch(Remoting.IRemoteWorkItem item) => item.SetException(new NotSupportedException());
    }

    [Fact]
    public void EmptyThreadNamePrefixIsRejected()
    {
        Param<ArgumentException>("threadNamePrefix", () => new ThreadPoolExecutor(1, ""));
        Param<ArgumentException>("threadNamePrefix", () => new ThreadPoolExecutor(1, "  "));
    }

    [Fact]
    public void NullDelegatesAreRejected()
    {
        using var executor = new ThreadPoolExecutor(1);
        Param<ArgumentNullException>("function", () => executor.Submit((Func<int>)null!));
        Param<ArgumentNullException>("function", () => executor.Submit((Func<CancellationToken, int>)null!));
        Param<ArgumentNullException>("function", () => executor.Submit((Func<CancellationToken, Task<int>>)null!));
        Param<ArgumentNullException>("action", () => executor.Submit((Action)null!));
        Param<ArgumentNullException>("function", () => executor.Map((Func<int, int>)null!, new[] { 1 }));
        Param<ArgumentNullException>("function", () => executor.Map((Func<int, int, int>)null!, new[] { 1 }, new[] { 1 }));
        Param<ArgumentNullException>("function", () => executor.Map((Func<int, int, int, int>)null!, new[] { 1 }, new[] { 1 }, new[] { 1 }));
        Param<ArgumentNullException>("function", () => executor.MapAsync((Func<int, int>)null!, new[] { 1 }));
        Assert.Equal(0, executor.QueuedCount);
    }

    [Fact]
    public void NullSequencesAreRejected()
    {
        using var executor = new ThreadPoolExecutor(1);
        Param<ArgumentNullException>("items", () => executor.Map(i => i, (IEnumerable<int>)null!));
        Param<ArgumentNullException>("items1", () => executor.Map((int a, int b) => a + b, null!, new[] { 1 }));
        Param<ArgumentNullException>("items2", () => executor.Map((int a, int b) => a + b, new[] { 1 }, null!));
        Param<ArgumentNullException>("items3", () => executor.Map((int a, int b, int c) => a + b + c, new[] { 1 }, new[] { 1 }, null!));
        Param<ArgumentNullException>("items", () => executor.MapAsync(i => i, (IEnumerable<int>)null!));
        Param<ArgumentNullException>("executor", () => ((IExecutor)null!).Map(i => i, new[] { 1 }));
        Param<ArgumentNullException>("executor", () => ((IExecutor)null!).Map((a, b) => a, new[] { 1 }, new[] { 1 }));
        Param<ArgumentNullException>("executor", () => ((IExecutor)null!).MapAsync(i => i, new[] { 1 }));

        Param<ArgumentNullException>("futures", () => Futures.Wait((IEnumerable<Future>)null!));
        Param<ArgumentNullException>("futures", () => Futures.Wait(new Future[] { Future.FromResult(1), null! }));
        Param<ArgumentNullException>("futures", () => Futures.AsCompleted((IEnumerable<Future>)null!));
        Param<ArgumentNullException>("futures", () => Futures.AsCompleted(new Future[] { null! }));
        Param<ArgumentNullException>("futures", () => Futures.AsCompletedAsync((IEnumerable<Future>)null!));
        Assert.Equal("futures", Assert.ThrowsAsync<ArgumentNullException>(() => Futures.WaitAsync((IEnumerable<Future>)null!)).Result.ParamName);
    }

    [Fact]
    public void BadSizesAndTimeoutsAreRejected()
    {
        using var executor = new ThreadPoolExecutor(1);
        Param<ArgumentOutOfRangeException>("bufferSize", () => executor.Map(i => i, new[] { 1 }, bufferSize: 0));
        Param<ArgumentOutOfRangeException>("bufferSize", () => executor.MapAsync(i => i, new[] { 1 }, bufferSize: -1));
        Param<ArgumentOutOfRangeException>("timeout", () => executor.Map(i => i, new[] { 1 }, TimeSpan.FromSeconds(-1)));
        Param<ArgumentOutOfRangeException>("timeout", () => executor.MapAsync(i => i, new[] { 1 }, TimeSpan.FromSeconds(-1)));
        Future<int> f = Future.FromResult(1);
        Param<ArgumentOutOfRangeException>("timeout", () => f.GetResult(TimeSpan.FromMilliseconds(-2)));
        Param<ArgumentOutOfRangeException>("timeout", () => f.GetException(TimeSpan.FromMilliseconds(-2)));
        Param<ArgumentOutOfRangeException>("timeout", () => f.Wait(TimeSpan.MaxValue));
        Param<ArgumentOutOfRangeException>("timeout", () => Futures.Wait(new[] { f }, timeout: TimeSpan.FromSeconds(-5)));
        Param<ArgumentOutOfRangeException>("timeout", () => Futures.AsCompleted(new[] { f }, TimeSpan.FromSeconds(-5)));
        Param<ArgumentOutOfRangeException>("returnWhen", () => Futures.Wait(new[] { f }, (ReturnWhen)42));
        Assert.Equal(1, f.GetResult(Timeout.InfiniteTimeSpan)); // infinite is allowed
        Assert.Equal(0, executor.QueuedCount);
    }

    [Fact]
    public void AdvancedCallsNeedAPipelinesExecutor()
    {
        Param<ArgumentNullException>("executor", () => JobsStubs.SubmitIdentity(null!, 1));
        Param<ArgumentException>("executor", () => new ForeignExecutor().SubmitIdentity(1));
        Param<ArgumentNullException>("source", () => Internals.Stubs.ExecutorOf(null!));
    }

    private sealed class ForeignExecutor : IExecutor
    {
        public Future<T> Submit<T>(Func<T> function) => throw new NotSupportedException();

        public Future<T> Submit<T>(Func<CancellationToken, T> function) => throw new NotSupportedException();

        public Future<T> Submit<T>(Func<CancellationToken, Task<T>> function) => throw new NotSupportedException();

        public Future<T> Submit<T>(Func<Task<T>> function) => throw new NotSupportedException();

        public Future Submit(Action action) => throw new NotSupportedException();

        public Future Submit(Func<Task> function) => throw new NotSupportedException();

        public Future Submit(Func<CancellationToken, Task> function) => throw new NotSupportedException();

        public void Shutdown(bool wait = true, bool cancelFutures = false)
        {
        }

        public Task ShutdownAsync(bool cancelFutures = false) => Task.CompletedTask;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
