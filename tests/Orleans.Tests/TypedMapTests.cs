using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>Generated typed maps on an <see cref="OrleansExecutor"/>: each chunk of items is one cluster call of the method's chunk entry.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class TypedMapTests(SharedCluster shared)
{
    [Fact]
    public async Task ResultsComeInInputOrderAndEachChunkIsOneCall()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        int[] xs = Enumerable.Range(0, 1000).ToArray();
        long before = executor.GetStatistics().CallsSent;
        Assert.Equal(xs.Select(x => 2 * x), executor.MapAdd(xs, xs, chunkSize: 50, timeout: Wait.Long));
        Assert.Equal(20, executor.GetStatistics().CallsSent - before);

        // The default chunk size: a few calls for many quick items, not one per item.
        before = executor.GetStatistics().CallsSent;
        Assert.Equal(xs.Select(x => x + 1), executor.MapAdd(xs, Enumerable.Repeat(1, 1000), timeout: Wait.Long));
        Assert.InRange(executor.GetStatistics().CallsSent - before, 2, 100);
    }

    [Fact]
    public async Task AFailingItemRethrowsItsOwnExceptionAtItsPlaceAndTheRestFollows()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        using IEnumerator<int> results = executor.MapTimesTenUnless(Enumerable.Range(0, 12), Enumerable.Repeat(7, 12), chunkSize: 4, timeout: Wait.Long).GetEnumerator();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(results.MoveNext());
            Assert.Equal(i * 10, results.Current);
        }

        var error = Assert.Throws<InvalidOperationException>(() => results.MoveNext());
        Assert.Equal("item 7 is bad", error.Message);
        Assert.Contains("MapJobs.TimesTenUnless", error.StackTrace, StringComparison.Ordinal);
        Assert.True(results.MoveNext());
        Assert.Equal(80, results.Current);
    }

    [Fact]
    public async Task AWindowBoundsAnEndlessInputAndTheTimeoutCountsFromTheCall()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        Assert.Equal(Enumerable.Range(1, 40).Select(x => x + 1), executor.MapAdd(Naturals(), Enumerable.Repeat(1, int.MaxValue), bufferSize: 16, timeout: Wait.Long).Take(40));

        string key = Guid.NewGuid().ToString("N");
        IEnumerable<int> slow = executor.MapCountThenSleep(Enumerable.Repeat(key, 4), Enumerable.Range(0, 4), Enumerable.Repeat(5_000, 4), timeout: TimeSpan.FromMilliseconds(300), chunkSize: 1);
        Assert.Throws<TimeoutException>(() => slow.First());
    }

    [Fact]
    public async Task AbandoningTheEnumerationStopsTheChunksNotStarted()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string key = Guid.NewGuid().ToString("N");
        foreach (int x in executor.MapCountThenSleep(Enumerable.Repeat(key, 300), Enumerable.Range(0, 300), Enumerable.Repeat(20, 300), chunkSize: 1, timeout: Wait.Long))
        {
            if (x == 1)
            {
                break;
            }
        }

        await executor.ShutdownAsync();
        Assert.InRange(MapJobs.Ran[key], 2, 40); // what was in flight when the enumeration stopped; not the 300
    }

    [Fact]
    public async Task TheAsyncTwinReadsAnAsyncStream()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        var results = new List<int>();
        await foreach (int x in executor.MapAsyncAdd(Async(Enumerable.Range(0, 100)), Async(Enumerable.Repeat(5, 100)), chunkSize: 8, timeout: Wait.Long))
        {
            results.Add(x);
        }

        Assert.Equal(Enumerable.Range(5, 100), results);
    }

    private static IEnumerable<int> Naturals()
    {
        for (int n = 1; ; n++)
        {
            yield return n;
        }
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
