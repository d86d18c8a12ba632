using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Futures.AsCompleted (CPython AsCompletedTests).</summary>
public class AsCompletedTests
{
    [Fact]
    public void YieldsDoneFuturesFirstThenInCompletionOrder()
    {
        Future<int> done = Future.FromResult(0);
        var promises = Enumerable.Range(0, 3).Select(_ => new Promise<int>()).ToArray();
        var input = new List<Future<int>> { promises[0].Future, promises[1].Future, done, promises[2].Future };
        using IEnumerator<Future<int>> e = Futures.AsCompleted(input, Wait.Long).GetEnumerator();

        Assert.True(e.MoveNext());
        Assert.Same(done, e.Current);
        promises[2].SetResult(2);
        Assert.True(e.MoveNext());
        Assert.Same(promises[2].Future, e.Current);
        promises[0].SetResult(0);
        promises[1].SetException(new InvalidOperationException());
        Assert.True(e.MoveNext());
        Assert.Same(promises[0].Future, e.Current);
        Assert.True(e.MoveNext());
        Assert.Same(promises[1].Future, e.Current);
        Assert.False(e.MoveNext());
    }

    [Fact]
    public void DuplicatesAreYieldedOnce()
    {
        Future<int> a = Future.FromResult(1);
        Future<int> b = Future.FromCancelled<int>();
        List<Future<int>> yielded = Futures.AsCompleted(new[] { a, b, a, b, a }).ToList();
        Assert.Equal(2, yielded.Count);
        Assert.Contains(a, yielded);
        Assert.Contains(b, yielded);
    }

    [Fact]
    public void TimeoutThrowsAfterYieldingWhatIsDone()
    {
        Future<int> done = Future.FromResult(1);
        Future<int> cancelled = Future.FromCancelled<int>();
        var pending = new Promise<int>();
        var yielded = new List<Future<int>>();
        TimeoutException ex = Assert.Throws<TimeoutException>(() =>
        {
            foreach (Future<int> f in Futures.AsCompleted(new[] { done, pending.Future, cancelled }, TimeSpan.FromMilliseconds(20)))
            {
                yielded.Add(f);
            }
        });
        Assert.Equal(new HashSet<Future<int>> { done, cancelled }, yielded.ToHashSet());
        Assert.Contains("1 (of 3)", ex.Message);

        Assert.Throws<TimeoutException>(() => Futures.AsCompleted(new[] { pending.Future }, TimeSpan.Zero).ToList());
    }

    [Fact]
    public void ZeroTimeoutYieldsDoneFutures()
    {
        Future<int>[] done = { Future.FromResult(1), Future.FromResult(2) };
        Assert.Equal(2, Futures.AsCompleted(done, TimeSpan.Zero).Count());
    }

    [Fact]
    public void WorksWithFuturesFromAPool()
    {
        using var executor = new ThreadPoolExecutor(4);
        List<Future<int>> futures = Enumerable.Range(0, 50).Select(i => executor.Submit(() => i)).ToList();
        int[] results = Futures.AsCompleted(futures, Wait.Long).Select(f => f.GetResult()).OrderBy(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), results);
    }

    [Fact]
    public void HoldsNoReferenceToFuturesAlreadyYielded()
    {
        // bpo-27144: as_completed kept every yielded future alive. Futures are created and consumed in helpers so
        // that no local of this method (which Debug builds keep alive) references them.
        var promises = new List<Promise<int>>();
        IEnumerator<Future<int>> e = Start(promises, 5);
        var yielded = new List<WeakReference>();
        for (int i = 0; i < 5; i++)
        {
            promises[i].SetResult(i);
            yielded.Add(Next(e));
            promises[i] = null!; // the promise holds its future
            if (i > 0)
            {
                // The previous future is referenced by nothing now: not the enumerator, not its queue.
                Assert.True(Gc.IsCollected(yielded[i - 1]), $"future {i - 1} is still referenced");
            }
        }

        Assert.False(e.MoveNext());
        e.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IEnumerator<Future<int>> Start(List<Promise<int>> promises, int count)
    {
        for (int i = 0; i < count; i++)
        {
            promises.Add(new Promise<int>());
        }

        return Futures.AsCompleted(promises.Select(p => p.Future).ToList(), Wait.Long).GetEnumerator();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Next(IEnumerator<Future<int>> e)
    {
        Assert.True(e.MoveNext());
        return new WeakReference(e.Current);
    }

    [Fact]
    public async Task AsCompletedAsyncYieldsInCompletionOrder()
    {
        var a = new Promise<int>();
        var b = new Promise<int>();
        Future<int> done = Future.FromResult(0);
        var seen = new List<Future<int>>();
        await using IAsyncEnumerator<Future<int>> e = Futures.AsCompletedAsync(new[] { a.Future, b.Future, done, done }, Wait.Long).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        Assert.Same(done, e.Current);
        b.SetResult(1);
        Assert.True(await e.MoveNextAsync());
        Assert.Same(b.Future, e.Current);
        a.SetResult(2);
        Assert.True(await e.MoveNextAsync());
        Assert.Same(a.Future, e.Current);
        Assert.False(await e.MoveNextAsync());
    }

    [Fact]
    public async Task AsCompletedAsyncTimesOut()
    {
        var pending = new Promise<int>();
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (Future<int> _ in Futures.AsCompletedAsync(new[] { pending.Future, Future.FromResult(1) }, TimeSpan.FromMilliseconds(20)))
            {
            }
        });
    }
}
