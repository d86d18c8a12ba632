using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>Values cross the process boundary and come back intact.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly ProcessPoolExecutor _pool = new(maxWorkers: 2);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void RunsInAnotherProcess()
    {
        int pid = _pool.SubmitProcessId().GetResult(Wait.Long);
        Assert.NotEqual(Environment.ProcessId, pid);
    }

    [Fact]
    public void Primitives()
    {
        Assert.Equal(5, _pool.SubmitAdd(2, 3).GetResult(Wait.Long));
        Assert.Equal(7.5, _pool.SubmitScale(2.5, 3L).GetResult(Wait.Long));
        Assert.Equal("héllo ✓", _pool.SubmitEcho("héllo ✓").GetResult(Wait.Long));
        Assert.Equal(84, _pool.SubmitMaybeDouble(42).GetResult(Wait.Long));
    }

    [Fact]
    public void Nulls()
    {
        Assert.Null(_pool.SubmitEcho(null).GetResult(Wait.Long));
        Assert.True(_pool.SubmitIsNull(null).GetResult(Wait.Long));
        Assert.Null(_pool.SubmitMaybeDouble(null).GetResult(Wait.Long));
    }

    [Fact]
    public void RecordsAndCollections()
    {
        Assert.Equal(new Point(11, 18), _pool.SubmitMove(new Point(1, 2), 10, 16).GetResult(Wait.Long));

        var order = new Order("ada", new List<Point> { new(1, 1), new(2, 2), new(3, 3) }, new Dictionary<string, int> { ["rush"] = 1 });
        Order reversed = _pool.SubmitReverse(order).GetResult(Wait.Long);
        Assert.Equal("ada", reversed.Customer);
        Assert.Equal(new[] { new Point(3, 3), new Point(2, 2), new Point(1, 1) }, reversed.Stops);
        Assert.Equal(1, reversed.Tags!["rush"]);
        Assert.Null(_pool.SubmitReverse(order with { Tags = null }).GetResult(Wait.Long).Tags);

        Dictionary<string, int> counts = _pool.SubmitCountWords(new List<string> { "a", "b", "a" }).GetResult(Wait.Long);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, counts);
        Assert.Equal(new[] { 2, 4, 6 }, _pool.SubmitDoubled(new[] { 1, 2, 3 }).GetResult(Wait.Long));
        Assert.Empty(_pool.SubmitDoubled(Array.Empty<int>()).GetResult(Wait.Long));
    }

    [Fact]
    public async Task AsyncAndVoidMethods()
    {
        Assert.Equal("ab", await _pool.SubmitConcatLater("a", "b"));

        string path = Wait.NewFilePath();
        try
        {
            Future done = _pool.SubmitWriteFile(path, "written remotely");
            await done;
            Assert.Equal(FutureState.Succeeded, done.State);
            Assert.Equal("written remotely", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CallsMayUseOtherThreadsInTheWorker()
    {
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => (long)i * i), await _pool.SubmitSumOfSquaresInParallel(1000));
        Assert.Equal(7, await _pool.SubmitDelayThenAdd(3, 4));
    }

    [Fact]
    public void ManyCallsSpreadOverWorkers()
    {
        List<Future<int>> futures = Enumerable.Range(0, 200).Select(i => _pool.SubmitAdd(i, i)).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => 2 * i), futures.Select(f => f.GetResult(Wait.Long)));
        Assert.InRange(_pool.WorkerCount, 1, 2);
    }
}
