using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// Shutdown, Dispose, ShutdownAsync and DisposeAsync called from inside the executor's own work — a call, a
/// done-callback, an inline continuation, an async call's continuation — wait for every other accepted call and
/// return: never an exception, never a hang. Every executor kind.
/// </summary>
public class ShutdownFromInsideTests
{
    public static TheoryData<string> ExecutorKinds => new() { "thread-pool", "inline", "task-scheduler" };

    private static Executor Create(string kind) => kind switch
    {
        "thread-pool" => new ThreadPoolExecutor(2),
        "inline" => new InlineExecutor(),
        _ => new TaskSchedulerExecutor(),
    };

    [Theory]
    [MemberData(nameof(ExecutorKinds))]
    public void DisposeFromADoneCallbackReturnsAndTheExecutorFinishes(string kind)
    {
        Executor executor = Create(kind);
        var reported = new ConcurrentBag<Exception>();
        executor.CallbackFaulted += (_, e) => reported.Add(e.Exception);
        using var disposed = new ManualResetEventSlim();
        Future<int> f = executor.Submit(() => 1);
        f.OnDone(_ =>
        {
            executor.Dispose();
            disposed.Set();
        });
        Wait.For(disposed, "Dispose inside the callback to return");
        Assert.Empty(reported);
        Assert.True(executor.IsShutdown);
        Assert.Equal(1, f.GetResult());
        executor.Dispose(); // from outside, afterwards: returns at once
        if (executor is ThreadPoolExecutor pool)
        {
            Assert.Equal(0, pool.WorkerCount);
        }
    }

    [Fact]
    public void AnAwaitThatResumesInlineOnAWorkerCanLeaveTheUsingBlock()
    {
        // The shape of an async Main: it awaits a TaskCompletionSource completed from a done-callback (a default TCS
        // resumes inline, on the pool's worker), then leaves `using var pool`: Dispose runs on the worker.
        var reported = new ConcurrentBag<Exception>();
        using var callMayFinish = new ManualResetEventSlim();

        async Task<int> MainAsync()
        {
            using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "inline-resume");
            pool.CallbackFaulted += (_, e) => reported.Add(e.Exception);
            var result = new TaskCompletionSource<int>();
            pool.Submit(() => { callMayFinish.Wait(Wait.Long); return 42; }).OnDone(f => result.SetResult(f.GetResult()));
            callMayFinish.Set(); // usually completes after the await below is registered: then it resumes on the worker
            return await result.Task;
        }

        Task<int> main = Task.Run(MainAsync);
        Assert.True(main.Wait(Wait.Long), "the async method hung");
        Assert.Equal(42, main.Result);
        Assert.Empty(reported);
    }

    [Fact]
    public void ADisposeInAnInlineTaskContinuationOnTheWorkerReturns()
    {
        // The same shape, made deterministic: the continuation is registered before the call may finish.
        var pool = new ThreadPoolExecutor(2, threadNamePrefix: "inline-continuation");
        var reported = new ConcurrentBag<Exception>();
        pool.CallbackFaulted += (_, e) => reported.Add(e.Exception);
        using var callMayFinish = new ManualResetEventSlim();
        var result = new TaskCompletionSource<int>();
        Task<string?> continuation = result.Task.ContinueWith(
            _ =>
            {
                pool.Dispose();
                return Thread.CurrentThread.Name;
            },
            TaskContinuationOptions.ExecuteSynchronously);
        pool.Submit(() => { callMayFinish.Wait(Wait.Long); return 42; }).OnDone(f => result.SetResult(f.GetResult()));
        callMayFinish.Set();
        Assert.True(continuation.Wait(Wait.Long), "Dispose on the worker hung");
        Assert.StartsWith("inline-continuation", continuation.Result); // it ran on the pool's worker, inside the callback
        Assert.Empty(reported);
        Assert.True(pool.IsShutdown);
        Wait.Until(() => pool.WorkerCount == 0, "the workers exit");
    }

    [Fact]
    public async Task ShutdownAsyncAwaitedInsideAnAsyncCallCompletes()
    {
        var pool = new ThreadPoolExecutor(2);
        using var release = new ManualResetEventSlim();
        Future<int> other = pool.Submit(() => { release.Wait(Wait.Long); return 7; });
        Future<bool> call = pool.Submit(async () =>
        {
            await Task.Yield(); // the rest runs on the .NET pool: only the flowed context says which call this is
            release.Set();
            await pool.ShutdownAsync();
            return other.IsDone;
        });
        Assert.True(await call.AsTask().WaitAsync(Wait.Long));
        Assert.True(pool.IsShutdown);
        Wait.Until(() => pool.WorkerCount == 0, "the workers exit once the async call is done");
    }

    [Fact]
    public async Task DisposeAsyncAwaitedInsideAnAsyncCallCompletes()
    {
        var pool = new ThreadPoolExecutor(1);
        Future<int> call = pool.Submit(async ct =>
        {
            await Task.Delay(1, ct);
            await pool.DisposeAsync();
            return 3;
        });
        Assert.Equal(3, await call.AsTask().WaitAsync(Wait.Long));
    }

    [Fact]
    public void ACallWaitingForTheCallersOwnCallIsNotWaitedFor()
    {
        var pool = new ThreadPoolExecutor(2);
        using var dependentRegistered = new ManualResetEventSlim();
        Future<int> own = pool.Submit(() =>
        {
            Wait.For(dependentRegistered, "the dependent to be registered");
            pool.Shutdown(wait: true); // the dependent cannot run before this call returns: not waited for
            return 1;
        });
        Future<int> dependent = pool.SubmitAdd(own, 1);
        dependentRegistered.Set();
        Assert.Equal(2, dependent.GetResult(Wait.Long));
        pool.Shutdown();
        Assert.Equal(0, pool.WorkerCount);
    }

    [Fact]
    public void ACallBlockedOnTheCallersOwnCallIsNotWaitedFor()
    {
        var pool = new ThreadPoolExecutor(2);
        using var ownStarted = new ManualResetEventSlim();
        using var blockerStarted = new ManualResetEventSlim();
        Future<int>? own = null;
        own = pool.Submit(() =>
        {
            ownStarted.Set();
            Wait.For(blockerStarted, "the blocked call to start");
            pool.Shutdown(wait: true); // the other worker blocks on this call: not waited for
            return 5;
        });
        Wait.For(ownStarted, "the own call to start");
        Future<int> blocker = pool.Submit(() =>
        {
            blockerStarted.Set();
            return own.GetResult() + 1;
        });
        Assert.Equal(6, blocker.GetResult(Wait.Long));
        pool.Shutdown();
    }

    [Theory]
    [MemberData(nameof(ExecutorKinds))]
    public void ShutdownWithWaitInsideACallWaitsForEveryOtherCall(string kind)
    {
        Executor executor = Create(kind);
        var gate = new Promise<int>();
        Future<int> waitingForArgument = executor.SubmitMultiply(gate.Future, 10);
        Future<bool> inside = executor.Submit(() =>
        {
            ThreadPool.QueueUserWorkItem(_ => gate.SetResult(4)); // completes while Shutdown waits
            executor.Shutdown(wait: true);
            return waitingForArgument.IsDone;
        });
        Assert.True(inside.GetResult(Wait.Long));
        Assert.Equal(40, waitingForArgument.GetResult());
    }

    [Fact]
    public void ManyCallsShuttingDownTheirOwnPoolAtOnceAllReturn()
    {
        for (int round = 0; round < 20; round++)
        {
            var pool = new ThreadPoolExecutor(3);
            using var start = new Barrier(3);
            List<Future<int>> calls = Enumerable.Range(0, 3).Select(i => pool.Submit(() =>
            {
                start.SignalAndWait(Wait.Long);
                pool.Shutdown(wait: true);
                return i;
            })).ToList();
            Assert.Equal(3, Futures.Wait(calls, timeout: Wait.Long).Done.Count);
            pool.Shutdown();
            Assert.Equal(0, pool.WorkerCount);
        }
    }
}
