using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>
/// The generated typed maps compile and run for every parameter shape a consumer writes: several arguments, interfaces,
/// nullable references and values, optional and params parameters, tuples, generic and instance methods, keyword names,
/// asynchronous methods, a custom stub name. Thread pool and inline executor (no remote executor here).
/// </summary>
public sealed class TypedMapTests : IDisposable
{
    private readonly ThreadPoolExecutor _pool = new(maxWorkers: 2);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void EveryParameterShapeMaps()
    {
        Assert.Equal(new[] { 11, 22 }, _pool.MapAdd(new[] { 1, 2 }, new[] { 10, 20, 30 }));
        Assert.Equal(new[] { 2.0, 4.0 }, _pool.MapTotalArea(new IShape[] { new Square(1), new Square(1) }, new IShape?[] { new Square(1), new Square(Math.Sqrt(3)) }).Select(x => Math.Round(x)));
        Assert.Equal(new[] { "hello, ada", "hello, nobody" }, _pool.MapGreet(new[] { "ada", null }));
        Assert.Equal(new[] { 3, 0 }, _pool.MapOrZero(new int?[] { 3, null }));
        Assert.Equal(new[] { "1", "null" }, _pool.MapDescribe(new object?[] { 1, null }));
        Assert.Equal(new[] { 6, 0 }, _pool.MapSum(new[] { new[] { 1, 2, 3 }, Array.Empty<int>() }));
        Assert.Equal(new[] { (1, 2) }, _pool.MapRange(new[] { (2, 1) }));
        Assert.Equal(new[] { 2, 0 }, _pool.MapParamsArePlainArrays(new[] { new[] { 1, 2 }, Array.Empty<int>() }));
        Assert.Equal(new[] { "x7:Red:2:note" }, _pool.MapOptions(new[] { 7 }, new[] { "x" }, new[] { Color.Red }, new[] { 2.0 }, new string?[] { "note" }));
        Assert.Equal(new[] { 7 }, _pool.MapKeywords(new[] { 4 }, new[] { "abc" }));
        Assert.Equal(new[] { 6 }, _pool.MapMultiply(new[] { 2 }, new[] { 3 }));
        Assert.Equal(new[] { "A" }, _pool.MapShout(new[] { "a" }));
    }

    [Fact]
    public void GenericAndInstanceMethodsMapOnExecutorsThatRunCallsHere()
    {
        Assert.Equal(new[] { "a", "b" }, _pool.MapIdentity(new[] { "a", "b" }));
        Assert.Equal(new[] { 2, 3 }, _pool.MapCount(new[] { new[] { 1, 2 }, new[] { 1, 2, 3 } }));
        Assert.Equal(new[] { 4, 9 }, _pool.MapScale(new[] { new Scaler(2), new Scaler(3) }, new[] { 2, 3 }));
        using var inline = new InlineExecutor();
        Assert.Equal(new[] { 1 }, inline.MapNext(new[] { new Counter { Start = 0 } }));
    }

    [Fact]
    public async Task AsynchronousMethodsAndTheAsyncTwinMap()
    {
        Assert.Equal(new[] { 2, 4, 6 }, _pool.MapDoubleAsync(new[] { 1, 2, 3 }));
        Assert.Equal(new[] { "x", "y" }, _pool.MapEchoAsync(new[] { "x", "y" }, bufferSize: 1));

        var results = new List<int>();
        await foreach (int x in _pool.MapAsyncAdd(Async(new[] { 1, 2, 3 }), Async(new[] { 1, 1, 1 }), timeout: TimeSpan.FromSeconds(30)))
        {
            results.Add(x);
        }

        Assert.Equal(new[] { 2, 3, 4 }, results);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (int _ in _pool.MapAsyncFail(Async(new[] { "boom" })))
            {
            }
        });
        Assert.Equal("boom", failure.Message);
    }

    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
