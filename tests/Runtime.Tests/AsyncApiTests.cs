using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Async lambdas run as async calls (never a future of a task); await and cancellation say one thing.</summary>
public class AsyncApiTests
{
    private static async Task<int> FortyTwoAsync()
    {
        await Task.Yield();
        return 42;
    }

    [Fact]
    public async Task AsyncLambdasAndMethodGroupsBindToTheAsyncOverloads()
    {
        using var pool = new ThreadPoolExecutor(2);
        Future<int> lambda = pool.Submit(async () => { await Task.Delay(1); return 42; });
        Future<int> withToken = pool.Submit(async ct => { await Task.Delay(1, ct); return 43; });
        Future<int> methodGroup = pool.Submit(FortyTwoAsync);
        int ran = 0;
        Future noResult = pool.Submit(async () => { await Task.Yield(); Interlocked.Increment(ref ran); });
        Future noResultWithToken = pool.Submit(async ct => { await Task.Delay(1, ct); Interlocked.Increment(ref ran); });
        Assert.Equal(42, await lambda);
        Assert.Equal(43, await withToken);
        Assert.Equal(42, await methodGroup);
        await noResult;
        await noResultWithToken;
        Assert.Equal(2, ran);
    }

    [Fact]
    public async Task AnAsyncCallIsRunningUntilItsTaskCompletes()
    {
        using var pool = new ThreadPoolExecutor(1);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Future<int> call = pool.Submit(async () => await gate.Task + 1);
        Wait.Until(() => call.IsRunning, "the async call to start");
        Assert.Equal(2, pool.Submit(() => 2).GetResult(Wait.Long)); // the worker is free while the call awaits
        gate.SetResult(1);
        Assert.Equal(2, await call);
    }

    [Fact]
    public async Task AwaitAndGetResultThrowTheSameCancellation()
    {
        Future<int> cancelled = Future.FromCancelled<int>();
        OperationCanceledException viaAwait = await Assert.ThrowsAsync<OperationCanceledException>(async () => await cancelled);
        OperationCanceledException viaGetResult = Assert.Throws<OperationCanceledException>(() => cancelled.GetResult());
        Assert.Equal(viaGetResult.GetType(), viaAwait.GetType());
        Assert.Equal(viaGetResult.Message, viaAwait.Message);
    }

    [Fact]
    public async Task AwaitRethrowsTheOriginalExceptionAndResumesOffTheWorker()
    {
        using var pool = new ThreadPoolExecutor(1, threadNamePrefix: "await-check");
        var error = new FormatException("bad");
        var gate = new ManualResetEventSlim();
        Future<int> f = pool.Submit(new Func<int>(() => { gate.Wait(Wait.Long); throw error; }));
        Task<string?> awaiting = AwaitAndReportThread(f);
        gate.Set();
        Assert.Null(await awaiting.WaitAsync(Wait.Long)); // the continuation never runs on the pool's worker

        static async Task<string?> AwaitAndReportThread(Future<int> future)
        {
            try
            {
                await future;
            }
            catch (FormatException)
            {
                string? name = Thread.CurrentThread.Name;
                return name is not null && name.StartsWith("await-check", StringComparison.Ordinal) ? name : null;
            }

            return "no exception";
        }
    }

    [Fact]
    public async Task MapAsyncRunsAsyncFunctionsAndYieldsTheirValues()
    {
        using var pool = new ThreadPoolExecutor(2);
        var results = new List<int>();
        await foreach (int result in pool.MapAsync(async (int x) => { await Task.Delay(3 - x); return x * 10; }, new[] { 0, 1, 2 }))
        {
            results.Add(result);
        }

        Assert.Equal(new[] { 0, 10, 20 }, results);
    }

    [Fact]
    public async Task MapAsyncOverAnAsyncStreamIsOrderedOrAsCompletedAndBoundsWhatIsInFlight()
    {
        using var pool = new ThreadPoolExecutor(4);
        int inFlight = 0;
        int maxSeen = 0;
        async ValueTask<int> Work(int x, CancellationToken ct)
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxSeen, now);
            await Task.Delay(x % 3, ct);
            Interlocked.Decrement(ref inFlight);
            return x;
        }

        List<int> ordered = await ToListAsync(pool.MapAsync(Range(20), Work, maxInFlight: 3));
        Assert.Equal(Enumerable.Range(0, 20), ordered);
        Assert.InRange(maxSeen, 1, 3);

        List<int> unordered = await ToListAsync(pool.MapAsync(Range(20), Work, ordered: false, maxInFlight: 3));
        Assert.Equal(Enumerable.Range(0, 20), unordered.Order());
    }

    [Fact]
    public async Task StoppingAnAsyncMapEarlyCancelsWhatIsInFlight()
    {
        using var pool = new ThreadPoolExecutor(2);
        var cancelledCalls = 0;
        var startedCalls = 0;
        async ValueTask<int> Slow(int x, CancellationToken ct)
        {
            if (x == 0)
            {
                return 0;
            }

            Interlocked.Increment(ref startedCalls);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelledCalls);
                throw;
            }

            return x;
        }

        await foreach (int first in pool.MapAsync(Range(10), Slow, maxInFlight: 4))
        {
            Assert.Equal(0, first);
            break;
        }

        // Leaving the loop cancelled what was in flight: calls not started never start, and every started one saw its token.
        int started = Volatile.Read(ref startedCalls);
        Wait.Until(() => Volatile.Read(ref cancelledCalls) == started, "every started call to be cancelled");
    }

    [Fact]
    public void AsyncMapArgumentsAreChecked()
    {
        using var pool = new ThreadPoolExecutor(1);
        Assert.Equal("maxInFlight", Assert.Throws<ArgumentOutOfRangeException>(() => pool.MapAsync(Range(1), (x, _) => new ValueTask<int>(x), maxInFlight: 0)).ParamName);
        Assert.Equal("items", Assert.Throws<ArgumentNullException>(() => pool.MapAsync<int, int>((IAsyncEnumerable<int>)null!, (x, _) => new ValueTask<int>(x))).ParamName);
    }

    private static async IAsyncEnumerable<int> Range(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (T item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
