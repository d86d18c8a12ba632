using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>
/// Collection parameters (<c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c>) also take
/// arrays, lists and sequences of futures: gathered with <see cref="Futures.All{T}"/> when all complete.
/// </summary>
public sealed class CollectionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 4);

    public void Dispose() => _executor.Dispose();

    [Fact]
    public void EachCollectionTypeTakesAnArrayAListOrASequenceOfFutures()
    {
        Future<int>[] numbers = Enumerable.Range(1, 4).Select(i => _executor.SubmitAdd(i, 0)).ToArray();
        Assert.Equal(10, _executor.SubmitSum(numbers).GetResult(Timeout));
        Assert.Equal(10, _executor.SubmitSum(numbers.ToList()).GetResult(Timeout));
        Assert.Equal(4, _executor.SubmitLast(numbers).GetResult(Timeout));
        Assert.Equal(10L, _executor.SubmitTotal(numbers.Where(f => f is not null)).GetResult(Timeout));

        var words = new List<Future<string>> { _executor.SubmitShout("a"), Future.FromResult("b"), _executor.SubmitEchoAsync("c") };
        Assert.Equal("A,b,c", _executor.SubmitJoin(words).GetResult(Timeout));
        Assert.Equal("A-b-c", _executor.SubmitJoin(words, "-").GetResult(Timeout));
        Assert.Equal("A;b;c", _executor.SubmitJoin(words, Future.FromResult(";")).GetResult(Timeout));
    }

    [Fact]
    public void PlainCollectionsAndFuturesOfCollectionsStillWork()
    {
        Assert.Equal(6, _executor.SubmitSum(new[] { 1, 2, 3 }).GetResult(Timeout));
        Assert.Equal("x|y", _executor.SubmitJoin(new List<string> { "x", "y" }, "|").GetResult(Timeout));
        Assert.Equal(9, _executor.SubmitLast(_executor.Submit<IReadOnlyList<int>>(() => new[] { 1, 9 })).GetResult(Timeout));
        Assert.Equal(3L, _executor.SubmitTotal(new[] { 1, 2 }).GetResult(Timeout));
    }

    [Fact]
    public void ResultsKeepTheInputOrderWhateverOrderTheyFinishIn()
    {
        using var gate = new ManualResetEventSlim();
        Future<int> slow = _executor.Submit(() =>
        {
            gate.Wait();
            return 1;
        });
        Future<int> fast = _executor.SubmitAdd(2, 0);
        Future<int[]> all = Futures.All(new[] { slow, fast });
        Assert.Equal(2, fast.GetResult(Timeout));
        Assert.False(all.IsDone);
        gate.Set();
        Assert.Equal(new[] { 1, 2 }, all.GetResult(Timeout));
        Assert.Empty(Futures.All(Array.Empty<Future<int>>()).GetResult(Timeout));
    }

    [Fact]
    public void AFaultedElementFaultsTheCallWithTheSameExceptionWithoutRunningIt()
    {
        Future<int> failed = _executor.SubmitFail("bad element");
        var original = Assert.Throws<InvalidOperationException>(() => failed.GetResult(Timeout));
        Future<int> sum = _executor.SubmitSum(new[] { _executor.SubmitAdd(1, 1), failed });
        Assert.Same(original, Assert.Throws<InvalidOperationException>(() => sum.GetResult(Timeout)));
        Assert.Same(original, Assert.Throws<InvalidOperationException>(() => _executor.SubmitJoin(new[] { failed.ThenDescribeInt() }.ToList()).GetResult(Timeout)));

        var io = new IOException("disk");
        Assert.Same(io, Assert.Throws<IOException>(() => Futures.All(new[] { Future.FromResult(1), Future.FromException<int>(io) }).GetResult(Timeout)));
    }

    [Fact]
    public void ACancelledElementCancelsTheCall()
    {
        Future<int> cancelled = Future.FromCancelled<int>();
        Future<long> total = _executor.SubmitTotal(new List<Future<int>> { Future.FromResult(1), cancelled });
        Assert.True(total.Wait(Timeout));
        Assert.Equal(FutureState.Cancelled, total.State);

        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        Future<int> running = _executor.Submit(() =>
        {
            started.Set();
            gate.Wait();
            return 1;
        });
        Assert.True(started.Wait(Timeout, TestContext.Current.CancellationToken));
        Future<int> pending = _executor.SubmitAdd(running, 1);
        Future<int> last = _executor.SubmitLast(new[] { pending });
        Assert.True(pending.Cancel());
        Assert.True(last.Wait(Timeout));
        Assert.Equal(FutureState.Cancelled, last.State);
        gate.Set();
    }

    [Fact]
    public void ANullCollectionOrElementIsRejectedByName()
    {
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => _executor.SubmitSum((IEnumerable<Future<int>>)null!)).ParamName);
        Assert.Equal("futures", Assert.Throws<ArgumentNullException>(() => _executor.SubmitSum(new Future<int>[] { null! })).ParamName);
    }
}
