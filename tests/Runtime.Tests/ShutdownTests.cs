using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>shutdown(wait, cancel_futures) and submit after shutdown (CPython ExecutorShutdownTest).</summary>
public class ShutdownTests
{
    [Fact]
    public void ShutdownWithWaitRunsEveryAcceptedCall()
    {
        var executor = new ThreadPoolExecutor(2);
        int ran = 0;
        List<Future> futures = Enumerable.Range(0, 50).Select(_ => executor.Submit(() => { Interlocked.Increment(ref ran); })).ToList();
        executor.Shutdown(wait: true);
        Assert.Equal(50, ran);
        Assert.All(futures, f => Assert.Equal(FutureState.Succeeded, f.State));
        Assert.True(executor.IsShutdown);
        Assert.Equal(0, executor.WorkerCount);
    }

    [Fact]
    public void ShutdownWithoutWaitReturnsAndTheWorkStillFinishes()
    {
        var executor = new ThreadPoolExecutor(1);
        using var release = new ManualResetEventSlim();
        Future<int> running = executor.Submit(() => { release.Wait(Wait.Long); return 1; });
        Future<int> queued = executor.Submit(() => 2);
        executor.Shutdown(wait: false);
        Assert.True(executor.IsShutdown);
        Assert.False(queued.IsDone);
        release.Set();
        Assert.Equal(1, running.GetResult(Wait.Long));
        Assert.Equal(2, queued.GetResult(Wait.Long));
        Wait.Until(() => executor.WorkerCount == 0, "the workers exit");
    }

    [Fact]
    public void ShutdownKeepsCallsWaitingForArgumentsAndRunsThemLater()
    {
        var executor = new ThreadPoolExecutor(1);
        var promise = new Promise<int>();
        Future<int> dependent = executor.SubmitAdd(promise.Future, 1);
        executor.Shutdown(wait: false);
        Assert.Throws<ExecutorShutdownException>(() => executor.Submit(() => 0));
        promise.SetResult(1);
        Assert.Equal(2, dependent.GetResult(Wait.Long));
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void CancelFuturesCancelsQueuedCallsAndSignalsRunningOnes()
    {
        var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        Future<int> running = executor.Submit(ct =>
        {
            started.Set();
            ct.WaitHandle.WaitOne(Wait.Long);
            ct.ThrowIfCancellationRequested();
            return 1;
        });
        Wait.For(started, "the running call");
        int ran = 0;
        List<Future<int>> queued = Enumerable.Range(0, 10).Select(i => executor.Submit(() => Interlocked.Increment(ref ran))).ToList();
        executor.Shutdown(wait: true, cancelFutures: true);
        Assert.All(queued, f => Assert.Equal(FutureState.Cancelled, f.State));
        Assert.Equal(0, ran);
        Assert.Equal(FutureState.Cancelled, running.State); // it honoured its token
        Assert.Equal(0, executor.WorkerCount);
    }

    [Fact]
    public void CancelFuturesAlsoCancelsDependentsThatBecomeReadyLater()
    {
        var executor = new ThreadPoolExecutor(1);
        var promise = new Promise<int>();
        var runs = new RunCounter();
        Future<int> dependent = executor.SubmitCountRun(runs, promise.Future);
        executor.Shutdown(wait: false, cancelFutures: true);
        promise.SetResult(1);
        Wait.Done(dependent);
        Assert.Equal(FutureState.Cancelled, dependent.State);
        Assert.Equal(0, runs.Count);
        executor.Shutdown();
    }

    [Fact]
    public async Task SubmitAfterShutdownThrowsNamingTheExecutor()
    {
        var executor = new ThreadPoolExecutor(1, threadNamePrefix: "my-pool");
        executor.Shutdown();
        void Check(Action submit)
        {
            ExecutorShutdownException ex = Assert.Throws<ExecutorShutdownException>(submit);
            Assert.Contains("my-pool", ex.Message);
            Assert.IsAssignableFrom<InvalidOperationException>(ex);
        }

        Check(() => executor.Submit(() => 1));
        Check(() => executor.Submit(ct => 1));
        Check(() => executor.Submit(ct => Task.FromResult(1)));
        Check(() => executor.Submit(() => { }));
        Check(() => executor.Map(i => i, new[] { 1 }));
        Check(() => executor.SubmitIdentity(1));
        await Assert.ThrowsAsync<ExecutorShutdownException>(async () =>
        {
            await foreach (int _ in executor.MapAsync(i => i, new[] { 1 }))
            {
            }
        });
        executor.Shutdown(); // twice is fine
        await executor.ShutdownAsync();
        executor.Dispose();
    }

    [Fact]
    public void ShutdownWithWaitFromOwnWorkerWaitsForTheRestAndReturns()
    {
        var executor = new ThreadPoolExecutor(1);
        int ran = 0;
        Future<int> f = executor.Submit(() =>
        {
            // Queued behind this call on the only worker: Shutdown must run them (helping) before it returns.
            for (int i = 0; i < 10; i++)
            {
                executor.Submit(() => Interlocked.Increment(ref ran));
            }

            executor.Shutdown(wait: true);
            return Volatile.Read(ref ran);
        });
        Assert.Equal(10, f.GetResult(Wait.Long));
        Assert.True(executor.IsShutdown);
        Wait.Until(() => executor.WorkerCount == 0, "the worker exits once its own call is done");
        executor.Shutdown(); // from outside, afterwards: returns at once
    }

    [Fact]
    public async Task ShutdownAsyncCompletesWhenTheWorkIsDone()
    {
        var executor = new ThreadPoolExecutor(2);
        var gate = new TaskCompletionSource();
        Future<int> f = executor.Submit(() => { gate.Task.Wait(Wait.Long); return 1; });
        Task shutdown = executor.ShutdownAsync();
        Assert.False(shutdown.IsCompleted);
        gate.SetResult();
        await shutdown.WaitAsync(Wait.Long);
        Assert.True(f.IsDone);
        Assert.Equal(0, executor.WorkerCount);
    }

    [Fact]
    public async Task ShutdownAsyncWithCancelFutures()
    {
        var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        Future<int> running = executor.Submit(async ct =>
        {
            started.Set();
            await Task.Delay(Timeout.Infinite, ct);
            return 1;
        });
        Wait.For(started, "the async call");
        Future<int> queued = executor.SubmitIdentity(running);
        await executor.ShutdownAsync(cancelFutures: true).WaitAsync(Wait.Long);
        Assert.Equal(FutureState.Cancelled, running.State);
        Assert.Equal(FutureState.Cancelled, queued.State);
    }

    [Fact]
    public void DisposeLeavesNoWorkerThreads()
    {
        var executor = new ThreadPoolExecutor(4, threadNamePrefix: "dispose-check");
        var threads = new System.Collections.Concurrent.ConcurrentBag<Thread>();
        using var barrier = new Barrier(4);
        List<Future> futures = Enumerable.Range(0, 4).Select(_ => executor.Submit(() =>
        {
            threads.Add(Thread.CurrentThread);
            barrier.SignalAndWait(Wait.Long);
        })).ToList();
        Futures.Wait(futures, timeout: Wait.Long);
        Assert.Equal(4, executor.WorkerCount);
        executor.Dispose();
        Assert.Equal(0, executor.WorkerCount);
        Assert.All(threads, t => Assert.False(t.IsAlive));
    }

    [Fact]
    public async Task DisposeAsyncLeavesNoWorkerThreads()
    {
        var executor = new ThreadPoolExecutor(2);
        Thread? worker = null;
        await executor.Submit(() => { worker = Thread.CurrentThread; });
        await executor.DisposeAsync();
        Assert.Equal(0, executor.WorkerCount);
        Assert.False(worker!.IsAlive);
    }
}
