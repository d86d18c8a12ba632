using System;
using System.IO;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Futures as arguments of generated stubs: a call runs once they succeed and fails or is cancelled with them.</summary>
public class DependencyTests
{
    [Fact]
    public void RunsOnlyAfterItsArgumentsComplete()
    {
        using var executor = new ThreadPoolExecutor(2);
        var a = new Promise<int>();
        var b = new Promise<int>();
        var runs = new RunCounter();
        Future<int> sum = executor.SubmitCountedAdd(runs, a.Future, b.Future);
        Assert.Equal(FutureState.Pending, sum.State);
        a.SetResult(2);
        Assert.False(sum.Wait(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(0, runs.Count);
        b.SetResult(5);
        Assert.Equal(7, sum.GetResult(Wait.Long));
        Assert.Equal(1, runs.Count);
    }

    [Fact]
    public void PlainValuesAndDoneFuturesRunAtOnce()
    {
        using var executor = new ThreadPoolExecutor(2);
        Assert.Equal(3, executor.SubmitAdd(1, Future.FromResult(2)).GetResult(Wait.Long));
        Assert.Equal(30, executor.SubmitMultiply(executor.Submit(() => 10), 3).GetResult(Wait.Long));
        Assert.Equal("x", executor.SubmitValueOr((string?)null, "x").GetResult(Wait.Long));
    }

    [Fact]
    public void SameFutureTwiceAsArguments()
    {
        using var executor = new ThreadPoolExecutor(2);
        var a = new Promise<int>();
        Future<int> sq = executor.SubmitMultiply(a.Future, a.Future);
        a.SetResult(6);
        Assert.Equal(36, sq.GetResult(Wait.Long));
    }

    [Fact]
    public void AFaultedArgumentFaultsTheDependentWithTheSameExceptionWithoutRunningIt()
    {
        using var executor = new ThreadPoolExecutor(2);
        var error = new IOException("disk gone");
        var runs = new RunCounter();
        Future<int> bad = executor.Submit(new Func<int>(() => throw error));
        var other = new Promise<int>();
        Future<int> dependent = executor.SubmitCountedAdd(runs, bad, other.Future);
        Future<int> downstream = executor.SubmitCountRun(runs, dependent);
        Assert.Same(error, Assert.Throws<IOException>(() => dependent.GetResult(Wait.Long)));
        Assert.Same(error, downstream.GetException(Wait.Long));
        Assert.Equal(0, runs.Count);
        other.SetResult(1); // completing the other argument later runs nothing
        Assert.Equal(0, runs.Count);
        Assert.Equal(FutureState.Faulted, dependent.State);

        // An argument that had already faulted when the call was made.
        Future<int> late = executor.SubmitCountRun(runs, Future.FromException<int>(error));
        Assert.True(late.IsFaulted);
        Assert.Same(error, late.GetException());
        Assert.Equal(0, runs.Count);
    }

    [Fact]
    public void ACancelledUpstreamCancelsPendingDependents()
    {
        using var executor = new ThreadPoolExecutor(2);
        var source = new Promise<int>();
        Future<int> upstream = executor.SubmitIdentity(source.Future); // pending on the promise
        Future<int> middle = executor.SubmitAdd(upstream, 1);
        Future<int> leaf = executor.SubmitAdd(middle, 5);
        Assert.True(upstream.Cancel());
        Assert.Equal(FutureState.Cancelled, middle.State);
        Assert.Equal(FutureState.Cancelled, leaf.State);
        Assert.Throws<OperationCanceledException>(() => leaf.GetResult());
        source.SetResult(1);
        Assert.Equal(FutureState.Cancelled, leaf.State);

        Assert.True(executor.SubmitIdentity(Future.FromCancelled<int>()).IsCancelled);
    }

    [Fact]
    public void CancellingADependentDoesNotCancelItsInputs()
    {
        using var executor = new ThreadPoolExecutor(2);
        var input = new Promise<int>();
        Future<int> shared = executor.SubmitMultiply(input.Future, 2);
        Future<int> first = executor.SubmitAdd(shared, 1);
        Future<int> second = executor.SubmitAdd(shared, 2);
        Assert.True(first.Cancel());
        Assert.Equal(FutureState.Pending, shared.State);
        input.SetResult(10);
        Assert.Equal(20, shared.GetResult(Wait.Long));
        Assert.Equal(22, second.GetResult(Wait.Long));
        Assert.True(first.IsCancelled);
    }

    [Fact]
    public void NoThreadBlocksWhileWaitingForArguments()
    {
        // One worker. A dependent waits for a future that the test completes later; meanwhile another call
        // must be able to run on the only worker, so nothing can be sitting on it waiting.
        using var executor = new ThreadPoolExecutor(1);
        var argument = new Promise<int>();
        Future<int> dependent = executor.SubmitAdd(argument.Future, 1);
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<int> other = executor.Submit(() => { running.Set(); release.Wait(Wait.Long); return 5; });
        Wait.For(running, "the other call to get the only worker");
        Assert.Equal(FutureState.Pending, dependent.State);
        argument.SetResult(1);
        release.Set();
        Assert.Equal(5, other.GetResult(Wait.Long));
        Assert.Equal(2, dependent.GetResult(Wait.Long));
        Assert.Equal(1, executor.WorkerCount);
    }

    [Fact]
    public void DependentsAcrossExecutors()
    {
        using var a = new ThreadPoolExecutor(1, "a");
        using var b = new ThreadPoolExecutor(1, "b");
        Future<string?> onA = a.Submit(() => Thread.CurrentThread.Name);
        Future<string> onB = b.SubmitAppendThreadName(onA);
        Assert.Equal("a_0->b_0", onB.GetResult(Wait.Long));
    }

    [Fact]
    public void ArgumentsAreReleasedWhenTheCallIsDone()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> dependent = MakeDependent(executor, out WeakReference argument);
        Wait.Done(dependent);
        Assert.Equal(1, dependent.GetResult());
        Assert.True(Gc.IsCollected(argument), "the finished call still references its argument future");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Future<int> MakeDependent(IExecutor executor, out WeakReference argument)
    {
        Future<int> arg = executor.Submit(() => 0);
        argument = new WeakReference(arg);
        return executor.SubmitAdd(arg, 1);
    }

    [Fact]
    public void FutureOrAndFutureArgBasics()
    {
        FutureOr<int> plain = 3;
        Assert.False(plain.IsFuture);
        Assert.True(plain.IsSpecified);
        Assert.Equal(3, plain.GetResult());
        Assert.False(default(FutureOr<int>).IsSpecified);

        var promise = new Promise<int>();
        FutureOr<int> fut = promise.Future;
        Assert.True(fut.IsFuture);
        Assert.Throws<InvalidOperationException>(() => fut.GetResult());
        promise.SetResult(4);
        Assert.Equal(4, fut.GetResult());

        FutureArg<int> arg = promise.Future;
        Assert.Same(promise.Future, arg.Future);
        Assert.Same(promise.Future, arg.AsFutureOr().Future);
        Assert.Throws<InvalidOperationException>(() => default(FutureArg<int>).Future);
        Assert.Equal("future", Assert.Throws<ArgumentNullException>(() => FutureOr<int>.FromFuture(null!)).ParamName);
    }
}
