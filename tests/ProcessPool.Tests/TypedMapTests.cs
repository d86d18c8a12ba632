using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Diagnostics;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// Generated typed maps (<c>executor.Map{Method}</c>, <c>MapAsync{Method}</c>) on a process pool, where each chunk of
/// items is one remote call of the method's chunk entry, and on a thread pool, where they are today's <c>Map</c>.
/// </summary>
public sealed class TypedMapTests : IDisposable
{
    private readonly ProcessPoolExecutor _pool = new(maxWorkers: 2);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void ResultsComeInInputOrderAndEachChunkIsOneCall()
    {
        int[] xs = Enumerable.Range(0, 1000).ToArray();
        long calls = RemoteCalls.Count(_pool.Name, () => Assert.Equal(xs.Select(x => 2 * x), _pool.MapAdd(xs, xs, chunkSize: 100)));
        Assert.Equal(10, calls);

        // Zipped sequences stop at the shortest, as Python's map(fn, *iterables).
        Assert.Equal(new[] { 11, 22 }, _pool.MapAdd(new[] { 1, 2, 3 }, new[] { 10, 20 }, chunkSize: 2));
        Assert.Empty(_pool.MapAdd(Array.Empty<int>(), xs));
    }

    [Fact]
    public void TheDefaultChunkSizeGrowsWithTheItemsSpeed()
    {
        int[] xs = Enumerable.Range(0, 20_000).ToArray();
        long calls = RemoteCalls.Count(_pool.Name, () => Assert.Equal(xs.Select(x => x + 1), _pool.MapAdd(xs, Enumerable.Repeat(1, xs.Length))));
        Assert.InRange(calls, 5, 200); // first chunks of one item measure; then chunks of hundreds to thousands

        // Slow items go in small chunks, so they spread over both workers: one per call when the per-call overhead
        // measures well under a millisecond; on a loaded machine the overhead measured can pair some. The rule itself is
        // tested on the sizer (ChunkSizerTests).
        long slowCalls = RemoteCalls.Count(_pool.Name, () => Assert.Equal(Enumerable.Range(0, 8), _pool.MapSleepThenReturn(Enumerable.Repeat(20, 8), Enumerable.Range(0, 8))));
        Assert.InRange(slowCalls, 3, 8);
    }

    [Fact]
    public void AnInputSlowerThanTheWorkersNeverEndsAMapWithoutATimeout()
    {
        // The consumer often finds every sent chunk read and waits for the pump, which wakes it as chunks complete.
        IEnumerable<int> Slowly()
        {
            for (int i = 0; i < 300; i++)
            {
                if (i % 25 == 0)
                {
                    Thread.Sleep(5);
                }

                yield return i;
            }
        }

        Assert.Equal(Enumerable.Range(1, 300), _pool.MapAdd(Slowly(), Enumerable.Repeat(1, 300), chunkSize: 10));
    }

    [Fact]
    public void AFailingItemRethrowsItsOwnExceptionAtItsPlace()
    {
        using IEnumerator<int> results = _pool.MapTimesTenUnless(Enumerable.Range(0, 10), Enumerable.Repeat(4, 10), chunkSize: 3).GetEnumerator();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(results.MoveNext());
            Assert.Equal(i * 10, results.Current);
        }

        var error = Assert.Throws<InvalidOperationException>(() => results.MoveNext());
        Assert.Equal("item 4 is bad", error.Message);
        Assert.Contains("Jobs.TimesTenUnless", error.StackTrace); // the worker's stack
        Assert.True(results.MoveNext()); // the rest of its chunk, and after, still comes
        Assert.Equal(50, results.Current);
    }

    [Fact]
    public void AWindowBoundsAnEndlessInput()
    {
        Assert.Equal(Enumerable.Range(1, 50).Select(x => x + 1), _pool.MapAdd(Naturals(), Enumerable.Repeat(1, int.MaxValue), bufferSize: 8).Take(50));
    }

    [Fact]
    public void TheTimeoutCountsFromTheCall()
    {
        IEnumerable<int> results = _pool.MapSleepThenReturn(Enumerable.Repeat(2_000, 4), Enumerable.Range(0, 4), timeout: TimeSpan.FromMilliseconds(200), chunkSize: 1);
        Assert.Throws<TimeoutException>(() => results.First());
    }

    [Fact]
    public void AbandoningTheEnumerationCancelsChunksThatHaveNotStarted()
    {
        string file = Wait.NewFilePath();
        try
        {
            using var pool = new ProcessPoolExecutor(maxWorkers: 1);
            foreach (int x in pool.MapRecord(Enumerable.Repeat(file, 200), Enumerable.Range(0, 200), Enumerable.Repeat(20, 200), chunkSize: 1))
            {
                if (x == 1)
                {
                    break;
                }
            }

            pool.Shutdown(wait: true);
            int ran = File.ReadAllLines(file).Length;
            Assert.InRange(ran, 2, 10); // what was sent before the break; not the 200
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheAsyncTwinReadsAnAsyncStream()
    {
        var results = new List<string>();
        await foreach (string s in _pool.MapAsyncConcatLater(Async(new[] { "a", "b", "c" }), Async(new[] { "1", "2", "3" }), chunkSize: 2))
        {
            results.Add(s);
        }

        Assert.Equal(new[] { "a1", "b2", "c3" }, results);

        var failing = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (int x in _pool.MapAsyncTimesTenUnless(Async(Enumerable.Range(0, 5)), Async(Enumerable.Repeat(3, 5))))
            {
                failing.Add(x);
            }
        });
        Assert.Equal(new[] { 0, 10, 20 }, failing);
        Assert.Equal("item 3 is bad", error.Message);
    }

    [Fact]
    public void OnAThreadPoolATypedMapIsTodaysMap()
    {
        using var threads = new ThreadPoolExecutor(maxWorkers: 2);
        int[] xs = Enumerable.Range(0, 1000).ToArray();
        long calls = RemoteCalls.Count(threads.Name, () => Assert.Equal(xs.Select(x => x * 2), threads.MapAdd(xs, xs, chunkSize: 7)));
        Assert.InRange(calls, 1, 2); // Map's runner calls (up to the worker count), no future per item
        Assert.Equal(new[] { "ax", "by" }, threads.MapConcatLater(new[] { "a", "b" }, new[] { "x", "y" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => threads.MapAdd(xs, xs, chunkSize: 0));
        Assert.Throws<ArgumentNullException>(() => threads.MapAdd(xs, null!));
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

/// <summary>Counts the calls an executor accepts while a body runs (the <c>pipelines.calls.submitted</c> counter).</summary>
internal static class RemoteCalls
{
    public static long Count(string executorName, Action body)
    {
        long count = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PipelinesTelemetry.MeterName && instrument.Name == PipelinesTelemetry.CallsSubmitted)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == PipelinesTelemetry.ExecutorTag && Equals(tag.Value, executorName))
                {
                    Interlocked.Add(ref count, value);
                }
            }
        });
        listener.Start();
        PipelinesTelemetry.Refresh();
        try
        {
            body();
        }
        finally
        {
            listener.Dispose();
            PipelinesTelemetry.Refresh();
        }

        return Interlocked.Read(ref count);
    }
}
