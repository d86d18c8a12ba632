using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Result, exception and timeout of one future (CPython FutureTests: result/exception/done/running).</summary>
public class FutureTests
{
    [Fact]
    public void CompletedFactoriesHaveTheirStates()
    {
        Future<int> ok = Future.FromResult(5);
        Assert.Equal(FutureState.Succeeded, ok.State);
        Assert.True(ok.IsDone);
        Assert.False(ok.IsRunning || ok.IsFaulted || ok.IsCancelled);
        Assert.Equal(5, ok.GetResult());
        Assert.Null(ok.GetException());
        Assert.Null(ok.Executor);

        var error = new IOException("disk");
        Future<int> bad = Future.FromException<int>(error);
        Assert.True(bad.IsFaulted);
        Assert.Same(error, bad.GetException());
        Assert.Same(error, Assert.Throws<IOException>(() => bad.GetResult()));

        Future<string> cancelled = Future.FromCancelled<string>();
        Assert.True(cancelled.IsCancelled);
        Assert.True(cancelled.IsDone);
        Assert.Throws<OperationCanceledException>(() => cancelled.GetResult());
        Assert.Throws<OperationCanceledException>(() => cancelled.GetException());

        Assert.True(Future.CompletedFuture.IsDone);
        Assert.True(Future.FromCancelled().IsCancelled);
        Assert.True(Future.FromException(error).IsFaulted);
    }

    [Fact]
    public void ResultOfASubmittedCall()
    {
        using var executor = new ThreadPoolExecutor(2);
        Future<string> f = executor.Submit(() => "hello");
        Assert.Equal("hello", f.GetResult(Wait.Long));
        Assert.Equal(FutureState.Succeeded, f.State);
        Assert.Null(f.GetException(Wait.Long));
        Assert.Same(executor, f.Executor);
    }

    [Fact]
    public void GetResultRethrowsTheOriginalExceptionWithItsStack()
    {
        using var executor = new ThreadPoolExecutor(2);
        var error = new InvalidDataException("bad");
        Future<int> f = executor.Submit<int>(() => Thrower(error));
        InvalidDataException thrown = Assert.Throws<InvalidDataException>(() => f.GetResult(Wait.Long));
        Assert.Same(error, thrown);
        Assert.Contains(nameof(Thrower), thrown.StackTrace);
        Assert.Same(error, f.GetException());
        Assert.True(f.IsFaulted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Thrower(Exception e) => throw e;

    [Fact]
    public void TimeoutsOnAPendingFuture()
    {
        var promise = new Promise<int>();
        Future<int> f = promise.Future;
        Assert.Throws<TimeoutException>(() => f.GetResult(TimeSpan.FromMilliseconds(10)));
        Assert.Throws<TimeoutException>(() => f.GetException(TimeSpan.Zero));
        Assert.False(f.Wait(TimeSpan.Zero));
        Assert.False(f.IsDone);
        promise.SetResult(3);
        Assert.Equal(3, f.GetResult(TimeSpan.Zero));
    }

    [Fact]
    public void WaitNeverThrowsTheCallsException()
    {
        Future<int> f = Future.FromException<int>(new InvalidOperationException());
        Assert.True(f.Wait());
        Assert.True(f.Wait(TimeSpan.Zero));
        Assert.True(Future.FromCancelled<int>().Wait());
    }

    [Fact]
    public void StatesMoveFromPendingThroughRunningToDone()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<int> first = executor.Submit(() =>
        {
            started.Set();
            release.Wait(Wait.Long);
            return 1;
        });
        Future<int> second = executor.Submit(() => 2);
        Wait.For(started, "the first call to start");
        Assert.Equal(FutureState.Running, first.State);
        Assert.True(first.IsRunning);
        Assert.False(first.IsDone);
        Assert.Equal(FutureState.Pending, second.State); // one worker, and it is busy
        release.Set();
        Assert.Equal(2, second.GetResult(Wait.Long));
        Assert.Equal(1, first.GetResult(Wait.Long));
        Assert.False(first.IsRunning);
    }

    [Fact]
    public async Task AwaitGivesTheResultTheExceptionOrCancellation()
    {
        await using var executor = new ThreadPoolExecutor(2);
        Assert.Equal(4, await executor.Submit(() => 4));

        var error = new FormatException("x");
        Future<int> bad = executor.Submit(new Func<int>(() => throw error));
        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(async () => await bad));
        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(() => bad.AsTask()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Future.FromCancelled<int>());
        Assert.True(Future.FromCancelled<int>().AsTask().IsCanceled);

        Future voidFuture = executor.Submit(() => { });
        await voidFuture;
        await voidFuture.ConfigureAwait(false);
        Assert.Equal(7, await Future.FromResult(7).ConfigureAwait(false));
    }

    [Fact]
    public async Task AsyncSubmitCompletesWhenItsTaskDoes()
    {
        await using var executor = new ThreadPoolExecutor(1);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Future<int> f = executor.Submit(async ct => await gate.Task + 1);
        // The async call holds no worker while it awaits: another call runs on the single worker meanwhile.
        Assert.Equal(10, executor.Submit(() => 10).GetResult(Wait.Long));
        Assert.False(f.IsDone);
        gate.SetResult(1);
        Assert.Equal(2, await f);
    }

    [Fact]
    public void AsyncSubmitThatReturnsNullTaskFaults()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> f = executor.Submit<int>(ct => null!);
        Assert.IsType<InvalidOperationException>(f.GetException(Wait.Long));
    }

    [Fact]
    public void ToStringShowsTheState()
    {
        Assert.Contains("Succeeded", Future.FromResult(1).ToString());
        Assert.Contains("Cancelled", Future.FromCancelled<int>().ToString());
    }
}
