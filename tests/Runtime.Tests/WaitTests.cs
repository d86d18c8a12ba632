using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Futures.Wait with each ReturnWhen, timeouts and typing (CPython WaitTests).</summary>
public class WaitTests
{
    [Fact]
    public void FirstCompletedReturnsWhenOneIsDone()
    {
        var slow = new Promise<int>();
        Future<int> done = Future.FromResult(1);
        var pending = new Promise<int>();
        (IReadOnlyList<Future<int>> d, IReadOnlyList<Future<int>> nd) =
            Futures.Wait(new[] { slow.Future, done, pending.Future }, ReturnWhen.FirstCompleted, Wait.Long);
        Assert.Equal(new[] { done }, d);
        Assert.Equal(new[] { slow.Future, pending.Future }, nd);
    }

    [Fact]
    public void FirstCompletedWakesOnALaterCompletion()
    {
        var a = new Promise<int>();
        var b = new Promise<int>();
        var t = new Thread(() => b.SetResult(2));
        Task<(IReadOnlyList<Future<int>>, IReadOnlyList<Future<int>>)> waiting =
            Task.Run(() => Futures.Wait(new[] { a.Future, b.Future }, ReturnWhen.FirstCompleted, Wait.Long));
        t.Start();
        Assert.True(waiting.Wait(Wait.Long));
        Assert.Contains(b.Future, waiting.Result.Item1);
        Assert.Contains(a.Future, waiting.Result.Item2);
        t.Join();
    }

    [Fact]
    public void FirstCompletedCountsCancelledFutures()
    {
        Future<int> cancelled = Future.FromCancelled<int>();
        var pending = new Promise<int>();
        var (done, notDone) = Futures.Wait(new[] { pending.Future, cancelled }, ReturnWhen.FirstCompleted, Wait.Long);
        Assert.Equal(new[] { cancelled }, done);
        Assert.Single(notDone);
    }

    [Fact]
    public void FirstExceptionReturnsOnAFault()
    {
        using var executor = new ThreadPoolExecutor(2);
        var pending = new Promise<int>();
        Future<int> ok = executor.Submit(() => 1);
        Assert.Equal(1, ok.GetResult(Wait.Long)); // else it may still be running when the fault returns the wait
        Future<int> bad = executor.Submit(new Func<int>(() => throw new InvalidOperationException()));
        var (done, notDone) = Futures.Wait(new[] { ok, bad, pending.Future }, ReturnWhen.FirstException, Wait.Long);
        Assert.Equal(new[] { ok, bad }, done);
        Assert.Equal(new[] { pending.Future }, notDone);
    }

    [Fact]
    public void FirstExceptionWithAnAlreadyFaultedFutureReturnsAtOnce()
    {
        Future<int> bad = Future.FromException<int>(new Exception());
        var pending = new Promise<int>();
        var (done, notDone) = Futures.Wait(new[] { pending.Future, bad }, ReturnWhen.FirstException, Wait.Long);
        Assert.Equal(new[] { bad }, done);
        Assert.Equal(new[] { pending.Future }, notDone);
    }

    [Fact]
    public void FirstExceptionWithoutFaultsWaitsForAll()
    {
        using var executor = new ThreadPoolExecutor(2);
        using var gate = new ManualResetEventSlim();
        Future<int> a = executor.Submit(() => 1);
        Future<int> b = executor.Submit(() => { gate.Wait(Wait.Long); return 2; });
        Future<int> c = Future.FromCancelled<int>();
        var t = new Thread(() => { a.Wait(Wait.Long); gate.Set(); });
        t.Start();
        var (done, notDone) = Futures.Wait(new[] { a, b, c }, ReturnWhen.FirstException, Wait.Long);
        Assert.Equal(3, done.Count);
        Assert.Empty(notDone);
        t.Join();
    }

    [Fact]
    public void AllCompletedWaitsForEveryFuture()
    {
        using var executor = new ThreadPoolExecutor(4);
        List<Future<int>> futures = Enumerable.Range(0, 20).Select(i => executor.Submit(() => i * i)).ToList();
        futures.Add(executor.Submit(new Func<int>(() => throw new InvalidOperationException())));
        var (done, notDone) = Futures.Wait(futures, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Equal(futures, done);
        Assert.Empty(notDone);
        Assert.All(done, f => Assert.True(f.IsDone));
    }

    [Fact]
    public void TimeoutReturnsTheSplitInsteadOfThrowing()
    {
        Future<int> done = Future.FromResult(1);
        var pending = new Promise<int>();
        var (d, nd) = Futures.Wait(new[] { done, pending.Future }, ReturnWhen.AllCompleted, TimeSpan.FromMilliseconds(20));
        Assert.Equal(new[] { done }, d);
        Assert.Equal(new[] { pending.Future }, nd);

        (d, nd) = Futures.Wait(new[] { pending.Future }, ReturnWhen.FirstCompleted, TimeSpan.Zero);
        Assert.Empty(d);
        Assert.Single(nd);
    }

    [Fact]
    public void DuplicatesCountOnceAndTheTypeIsKept()
    {
        Future<string> a = Future.FromResult("a");
        var list = new List<Future<string>> { a, a, a };
        (IReadOnlyList<Future<string>> done, IReadOnlyList<Future<string>> notDone) = Futures.Wait(list);
        Assert.Single(done);
        Assert.Equal("a", done[0].GetResult()); // typed: no cast
        Assert.Empty(notDone);
    }

    [Fact]
    public void ManyDuplicatesCountOnceInFirstSeenOrderWhetherAllAreDoneOrNot()
    {
        // Above a handful of futures duplicates are found by hashing, in the same pass that counts the done ones.
        Future<int>[] done = Enumerable.Range(0, 50).Select(i => Future.FromResult(i)).ToArray();
        Future<int>[] input = done.Concat(done.Reverse()).Concat(done).ToArray();
        var (allDone, none) = Futures.Wait(input, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Equal(done, allDone);
        Assert.Empty(none);

        var pending = new Promise<int>();
        Future<int>[] mixed = done.Append(pending.Future).Concat(done).Append(pending.Future).ToArray();
        var (someDone, notDone) = Futures.Wait(mixed, ReturnWhen.FirstCompleted, Wait.Long);
        Assert.Equal(done, someDone);
        Assert.Equal(new[] { pending.Future }, notDone);
        Assert.Equal(new[] { pending.Future }, Futures.Wait(mixed, ReturnWhen.AllCompleted, TimeSpan.Zero).NotDone);
    }

    [Fact]
    public void AnAllDoneListIsTheInputAsTheWaitSawItWhenReadLaterAndByManyThreadsAtOnce()
    {
        // When every future is done the wait removes duplicates only when Done is first read: the list must still be
        // the input at the time of the wait, and readers racing to be first must all see the same distinct futures.
        Future<int>[] distinct = Enumerable.Range(0, 1000).Select(i => Future.FromResult(i)).ToArray();
        var input = new List<Future<int>>(distinct.Concat(distinct.Reverse()));
        var (done, notDone) = Futures.Wait(input);
        input.Clear();
        input.Add(Future.FromResult(-1));
        Assert.Empty(notDone);

        using var start = new Barrier(4);
        Task<Future<int>[]>[] readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(Wait.Long);
                return done.ToArray();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        Assert.True(Task.WaitAll(readers, Wait.Long));
        foreach (Task<Future<int>[]> reader in readers)
        {
            Assert.Equal(distinct, reader.Result);
        }

        Assert.Equal(distinct.Length, done.Count);
        Assert.Same(distinct[^1], done[^1]);
    }

    [Fact]
    public void AnInputOfManyChunksKeepsOrderDuplicatesAndNullChecksAcrossChunkBoundaries()
    {
        // Arrays and lists are copied in chunks of 8,192; repeats, the first-seen order and a null must not care where
        // a chunk ends.
        Future<int>[] distinct = Enumerable.Range(0, 20_000).Select(i => Future.FromResult(i)).ToArray();
        Future<int>[] array = distinct.Concat(distinct.Skip(8_000).Take(500)).ToArray();
        var list = new List<Future<int>>(array);
        Assert.Equal(distinct, Futures.Wait(array).Done);
        Assert.Equal(distinct, Futures.Wait(list).Done);

        var pending = new Promise<int>();
        list.Insert(16_384, pending.Future);
        (IReadOnlyList<Future<int>> done, IReadOnlyList<Future<int>> notDone) = Futures.Wait(list, ReturnWhen.FirstCompleted);
        Assert.Equal(distinct, done);
        Assert.Equal(new[] { pending.Future }, notDone);

        array[8_193] = null!;
        ArgumentNullException thrown = Assert.Throws<ArgumentNullException>(() => Futures.Wait(array));
        Assert.Equal("futures", thrown.ParamName);
    }

    [Fact]
    public void EmptyInputReturnsAtOnce()
    {
        var (done, notDone) = Futures.Wait(Array.Empty<Future>(), ReturnWhen.FirstCompleted);
        Assert.Empty(done);
        Assert.Empty(notDone);
    }

    [Fact]
    public void WaitDoesNotKeepATimedOutWaiterOnTheFuture()
    {
        var promise = new Promise<int>();
        for (int i = 0; i < 100; i++)
        {
            Futures.Wait(new[] { promise.Future }, ReturnWhen.AllCompleted, TimeSpan.Zero);
        }

        int ran = 0;
        promise.Future.OnDone(_ => ran++);
        promise.SetResult(1); // would also run 100 stale waiters if they were kept
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task WaitAsyncModes()
    {
        var pending = new Promise<int>();
        Future<int> done = Future.FromResult(1);
        var (d, nd) = await Futures.WaitAsync(new[] { pending.Future, done }, ReturnWhen.FirstCompleted, Wait.Long);
        Assert.Equal(new[] { done }, d);
        Assert.Equal(new[] { pending.Future }, nd);

        (d, nd) = await Futures.WaitAsync(new[] { pending.Future, done }, ReturnWhen.AllCompleted, TimeSpan.FromMilliseconds(10));
        Assert.Same(pending.Future, nd[0]);

        using var cts = new CancellationTokenSource();
        Task<(IReadOnlyList<Future<int>>, IReadOnlyList<Future<int>>)> w = Futures.WaitAsync(new[] { pending.Future }, cancellationToken: cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w);

        Task<(IReadOnlyList<Future<int>>, IReadOnlyList<Future<int>>)> all = Futures.WaitAsync(new[] { pending.Future, done });
        pending.SetResult(2);
        (d, nd) = await all.WaitAsync(Wait.Long);
        Assert.Equal(2, d.Count);
        Assert.Empty(nd);
    }
}
