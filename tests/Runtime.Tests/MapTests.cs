using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Executor.Map / MapAsync (CPython ExecutorTest.test_map*).</summary>
public class MapTests
{
    [Fact]
    public void ResultsComeInInputOrderEvenWhenLaterCallsFinishFirst()
    {
        const int n = 4;
        using var executor = new ThreadPoolExecutor(n);
        var finished = Enumerable.Range(0, n).Select(_ => new ManualResetEventSlim()).ToArray();
        var finishOrder = new List<int>();
        // Call i waits for call i+1 to finish: they finish in reverse input order.
        List<int> results = executor.Map(i =>
        {
            if (i + 1 < n)
            {
                Assert.True(finished[i + 1].Wait(Wait.Long));
            }

            lock (finishOrder)
            {
                finishOrder.Add(i);
            }

            finished[i].Set();
            return i * 10;
        }, Enumerable.Range(0, n), Wait.Long).ToList();
        Assert.Equal(new[] { 0, 10, 20, 30 }, results);
        Assert.Equal(new[] { 3, 2, 1, 0 }, finishOrder);
    }

    [Fact]
    public void AnExceptionIsRaisedWhenItsResultIsReached()
    {
        using var executor = new ThreadPoolExecutor(2);
        var error = new DivideByZeroException();
        var seen = new List<int>();
        Assert.Same(error, Assert.Throws<DivideByZeroException>(() =>
        {
            foreach (int r in executor.Map(i => i == 3 ? throw error : i, Enumerable.Range(0, 6)))
            {
                seen.Add(r);
            }
        }));
        Assert.Equal(new[] { 0, 1, 2 }, seen);
    }

    [Fact]
    public void TimeoutRaisesAndCancelsWhatHasNotStarted()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var release = new ManualResetEventSlim();
        int ran = 0;
        var results = new List<int>();
        Assert.Throws<TimeoutException>(() =>
        {
            foreach (int r in executor.Map(i =>
            {
                Interlocked.Increment(ref ran);
                if (i == 1)
                {
                    release.Wait(Wait.Long);
                }

                return i;
            }, Enumerable.Range(0, 5), TimeSpan.FromMilliseconds(50)))
            {
                results.Add(r);
            }
        });
        release.Set();
        executor.Shutdown();
        // Item 0 may or may not beat the short timeout on a loaded machine; items 2..4, queued behind the blocked
        // item 1 on the single worker, must have been cancelled, never run.
        Assert.True(results.Count == 0 || results.SequenceEqual(new[] { 0 }));
        Assert.InRange(ran, 0, 2);
    }

    [Fact]
    public void BufferSizeFetchesOnlyThatManyInputsUpFront()
    {
        using var executor = new ThreadPoolExecutor(2);
        using IEnumerator<int> ints = Enumerable.Range(0, 4).GetEnumerator();
        IEnumerable<int> Source()
        {
            while (ints.MoveNext())
            {
                yield return ints.Current;
            }
        }

        IEnumerable<string> mapped = executor.Map(i => i.ToString(), Source(), bufferSize: 2);
        executor.Shutdown(); // waits for the submitted calls
        Assert.True(ints.MoveNext());
        Assert.Equal(2, ints.Current); // only 0 and 1 were read
        GC.KeepAlive(mapped);
    }

    [Fact]
    public void BufferSizeOverAnEndlessInputKeepsAConstantWindow()
    {
        using var executor = new ThreadPoolExecutor(4);
        const int buffer = 8;
        int submitted = 0;
        int consumed = 0;
        int maxAhead = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                int ahead = Interlocked.Increment(ref submitted) - Volatile.Read(ref consumed);
                maxAhead = Math.Max(maxAhead, ahead);
                yield return i;
            }
        }

        int expected = 0;
        foreach (int r in executor.Map(i => i * 2, Endless(), bufferSize: buffer))
        {
            Assert.Equal(expected * 2, r);
            expected++;
            Interlocked.Increment(ref consumed);
            if (expected == 2000)
            {
                break;
            }
        }

        // Python's window: bufferSize calls in flight, plus the next one submitted as one is taken.
        Assert.InRange(maxAhead, 1, buffer + 1);
        executor.Shutdown();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(64)]
    public void AWindowThatFillsAndEmptiesManyTimesNeverStalls(int bufferSize)
    {
        // Runners stop at the window's edge while the consumer moves it: every stop races a restart. A lost restart
        // leaves the consumer waiting with no runner left; the timeout turns that hang into a failure.
        // Map's own timeout bounds the whole enumeration, which a loaded machine can stretch past any bound (a window of
        // one hands every item from thread to thread): the hang is detected as no result for Wait.Long instead.
        using var executor = new ThreadPoolExecutor(2);
        int count = bufferSize == 1 ? 20_000 : 200_000; // a window of one restarts a runner per item
        long sum = 0;
        int taken = 0;
        var enumeration = Task.Run(() =>
        {
            foreach (int r in executor.Map(i => i, Enumerable.Range(0, count), timeout: null, bufferSize))
            {
                sum += r;
                Volatile.Write(ref taken, taken + 1);
            }
        });

        for (int seen = -1; !enumeration.Wait(Wait.Long);)
        {
            int now = Volatile.Read(ref taken);
            Assert.True(now != seen, $"no result for {Wait.Long.TotalSeconds} s after {now} of {count}: the map stalled");
            seen = now;
        }

        enumeration.GetAwaiter().GetResult();
        Assert.Equal((long)count * (count - 1) / 2, sum);
    }

    [Fact]
    public void AbandoningTheEnumerationCancelsCallsThatHaveNotStarted()
    {
        using var executor = new ThreadPoolExecutor(1);
        int ran = 0;
        List<int> first = new();
        using var gate = new ManualResetEventSlim();
        IEnumerable<int> mapped = executor.Map(i =>
        {
            Interlocked.Increment(ref ran);
            if (i == 1)
            {
                gate.Wait(Wait.Long);
            }

            return i;
        }, Enumerable.Range(0, 10));
        foreach (int r in mapped)
        {
            first.Add(r);
            break; // abandons: calls 2..9 are queued behind call 1 and must be cancelled
        }

        gate.Set();
        executor.Shutdown();
        Assert.Equal(new[] { 0 }, first);
        Assert.InRange(ran, 1, 2);
    }

    [Fact]
    public void MapOverTwoAndThreeSequencesStopsAtTheShortest()
    {
        using var executor = new ThreadPoolExecutor(2);
        Assert.Equal(new[] { 11, 22, 33 }, executor.Map((a, b) => a + b, new[] { 1, 2, 3, 4 }, new[] { 10, 20, 30 }).ToArray());
        Assert.Equal(new[] { "a1x", "b2y" }, executor.Map((a, b, c) => $"{a}{b}{c}", new[] { "a", "b", "c" }, new[] { 1, 2 }, new[] { 'x', 'y', 'z' }).ToArray());
        Assert.Equal(new[] { 3 }, executor.Map((a, b) => a * b, new[] { 1 }, new[] { 3 }, Wait.Long, bufferSize: 1).ToArray());
    }

    [Fact]
    public void EmptyInputGivesNoResults()
    {
        using var executor = new ThreadPoolExecutor(1);
        Assert.Empty(executor.Map(i => i, Array.Empty<int>()));
        Assert.Empty(executor.Map(i => i, Array.Empty<int>(), bufferSize: 3));
    }

    [Fact]
    public void ResultsCanBeEnumeratedOnlyOnce()
    {
        using var executor = new ThreadPoolExecutor(1);
        IEnumerable<int> mapped = executor.Map(i => i, new[] { 1, 2 });
        Assert.Equal(new[] { 1, 2 }, mapped.ToArray());
        Assert.Throws<InvalidOperationException>(() => mapped.ToArray());
    }

    [Fact]
    public async Task MapAsyncYieldsInOrder()
    {
        await using var executor = new ThreadPoolExecutor(3);
        var results = new List<int>();
        await foreach (int r in executor.MapAsync(i => i + 1, Enumerable.Range(0, 100), bufferSize: 5))
        {
            results.Add(r);
        }

        Assert.Equal(Enumerable.Range(1, 100), results);
    }

    [Fact]
    public async Task MapAsyncRaisesTheCallsException()
    {
        await using var executor = new ThreadPoolExecutor(2);
        var error = new TimeZoneNotFoundException();
        await Assert.ThrowsAsync<TimeZoneNotFoundException>(async () =>
        {
            await foreach (int _ in executor.MapAsync(new Func<int, int>(i => throw error), new[] { 1 }))
            {
            }
        });
    }

    [Fact]
    public async Task MapAsyncTimeoutCancelsTheCallItGaveUpOn()
    {
        await using var executor = new ThreadPoolExecutor(1);
        using var release = new ManualResetEventSlim();
        using var blocking = new ManualResetEventSlim();
        Future<int> blocker = executor.Submit(() => { blocking.Set(); release.Wait(Wait.Long); return 0; });
        Wait.For(blocking, "the blocker");
        int ran = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (int _ in executor.MapAsync(i => Interlocked.Increment(ref ran), new[] { 1, 2 }, TimeSpan.FromMilliseconds(20)))
            {
            }
        });
        release.Set();
        await executor.ShutdownAsync();
        Assert.Equal(0, ran); // both calls were queued behind the blocker; giving up cancels them
        GC.KeepAlive(blocker);
    }
}
