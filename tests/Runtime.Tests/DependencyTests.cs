using System;
using System.IO;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Futures as arguments through the advanced API, written the way generated stubs use it.</summary>
public class DependencyTests
{
    [Fact]
    public void RunsOnlyAfterItsArgumentsComplete()
    {
        using var executor = new ThreadPoolExecutor(2);
        var a = new Promise<int>();
        var b = new Promise<int>();
        int ran = 0;
        Future<int> sum = new Call2<int, int, int>(executor, a.Future, b.Future, (x, y) => { Interlocked.Increment(ref ran); return x + y; });
        Assert.Equal(FutureState.Pending, sum.State);
        a.SetResult(2);
        Assert.False(sum.Wait(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(0, ran);
        b.SetResult(5);
        Assert.Equal(7, sum.GetResult(Wait.Long));
        Assert.Equal(1, ran);
    }

    [Fact]
    public void PlainValuesAndDoneFuturesRunAtOnce()
    {
        using var executor = new ThreadPoolExecutor(2);
        Assert.Equal(3, new Call2<int, int, int>(executor, 1, Future.FromResult(2), (x, y) => x + y).GetResult(Wait.Long));
        Assert.Equal(30, new Call1<int, int>(executor, executor.Submit(() => 10), x => x * 3).GetResult(Wait.Long));
        Assert.Equal("x", new Call1<string?, string>(executor, (string?)null, x => x ?? "x").GetResult(Wait.Long));
    }

    [Fact]
    public void SameFutureTwiceAsArguments()
    {
        using var executor = new ThreadPoolExecutor(2);
        var a = new Promise<int>();
        Future<int> sq = new Call2<int, int, int>(executor, a.Future, a.Future, (x, y) => x * y);
        a.SetResult(6);
        Assert.Equal(36, sq.GetResult(Wait.Long));
    }

    [Fact]
    public void AFaultedArgumentFaultsTheDependentWithTheSameExceptionWithoutRunningIt()
    {
        using var executor = new ThreadPoolExecutor(2);
        var error = new IOException("disk gone");
        int ran = 0;
        Future<int> bad = executor.Submit(new Func<int>(() => throw error));
        var other = new Promise<int>();
        Future<int> dependent = new Call2<int, int, int>(executor, bad, other.Future, (x, y) => Interlocked.Increment(ref ran));
        Future<int> downstream = new Call1<int, int>(executor, dependent, x => Interlocked.Increment(ref ran));
        Assert.Same(error, Assert.Throws<IOException>(() => dependent.GetResult(Wait.Long)));
        Assert.Same(error, downstream.GetException(Wait.Long));
        Assert.Equal(0, ran);
        other.SetResult(1); // completing the other argument later runs nothing
        Assert.Equal(0, ran);
        Assert.Equal(FutureState.Faulted, dependent.State);

        // An argument that had already faulted when the call was made.
        Future<int> late = new Call1<int, int>(executor, Future.FromException<int>(error), x => Interlocked.Increment(ref ran));
        Assert.True(late.IsFaulted);
        Assert.Same(error, late.GetException());
        Assert.Equal(0, ran);
    }

    [Fact]
    public void ACancelledUpstreamCancelsPendingDependents()
    {
        using var executor = new ThreadPoolExecutor(2);
        var source = new Promise<int>();
        Future<int> upstream = new Call1<int, int>(executor, source.Future, x => x); // pending on the promise
        Future<int> middle = new Call1<int, int>(executor, upstream, x => x + 1);
        Future<int> leaf = new Call2<int, int, int>(executor, middle, 5, (x, y) => x + y);
        Assert.True(upstream.Cancel());
        Assert.Equal(FutureState.Cancelled, middle.State);
        Assert.Equal(FutureState.Cancelled, leaf.State);
        Assert.Throws<OperationCanceledException>(() => leaf.GetResult());
        source.SetResult(1);
        Assert.Equal(FutureState.Cancelled, leaf.State);

        Assert.True(new Call1<int, int>(executor, Future.FromCancelled<int>(), x => x).IsCancelled);
    }

    [Fact]
    public void CancellingADependentDoesNotCancelItsInputs()
    {
        using var executor = new ThreadPoolExecutor(2);
        var input = new Promise<int>();
        Future<int> shared = new Call1<int, int>(executor, input.Future, x => x * 2);
        Future<int> first = new Call1<int, int>(executor, shared, x => x + 1);
        Future<int> second = new Call1<int, int>(executor, shared, x => x + 2);
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
        Future<int> dependent = new Call1<int, int>(executor, argument.Future, x => x + 1);
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
        Future<string> onB = new Call1<string?, string>(b, onA, n => n + "->" + Thread.CurrentThread.Name);
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
        return new Call1<int, int>(executor, arg, x => x + 1);
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
