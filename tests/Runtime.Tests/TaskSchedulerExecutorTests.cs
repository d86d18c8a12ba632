using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>The adapter over a .NET TaskScheduler.</summary>
public class TaskSchedulerExecutorTests
{
    [Fact]
    public void RunsOnTheDefaultThreadPool()
    {
        using var executor = new TaskSchedulerExecutor();
        Assert.Same(TaskScheduler.Default, executor.Scheduler);
        Assert.True(executor.Submit(() => Thread.CurrentThread.IsThreadPoolThread).GetResult(Wait.Long));
    }

    [Fact]
    public void RunsOnTheGivenScheduler()
    {
        var pair = new ConcurrentExclusiveSchedulerPair();
        using var executor = new TaskSchedulerExecutor(pair.ExclusiveScheduler, "exclusive");
        int concurrent = 0;
        int maxConcurrent = 0;
        List<Future<bool>> futures = Enumerable.Range(0, 50).Select(_ => executor.Submit(() =>
        {
            int now = Interlocked.Increment(ref concurrent);
            maxConcurrent = Math.Max(maxConcurrent, now);
            Thread.Yield();
            Interlocked.Decrement(ref concurrent);
            return TaskScheduler.Current == pair.ExclusiveScheduler;
        })).ToList();
        Assert.All(futures, f => Assert.True(f.GetResult(Wait.Long)));
        Assert.Equal(1, maxConcurrent);
    }

    [Fact]
    public void ShutdownWaitsAndCancelsLikeAnyExecutor()
    {
        var executor = new TaskSchedulerExecutor(name: "tse");
        using var started = new ManualResetEventSlim();
        Future<int> running = executor.Submit(ct =>
        {
            started.Set();
            ct.WaitHandle.WaitOne(Wait.Long);
            ct.ThrowIfCancellationRequested();
            return 0;
        });
        Wait.For(started, "the call");
        var argument = new Promise<int>();
        Future<int> waiting = executor.SubmitIdentity(argument.Future);
        executor.Shutdown(wait: false, cancelFutures: true);
        Assert.Contains("tse", Assert.Throws<ExecutorShutdownException>(() => executor.Submit(() => 1)).Message);
        argument.SetResult(1);
        executor.Shutdown(wait: true);
        Assert.Equal(FutureState.Cancelled, running.State);
        Assert.Equal(FutureState.Cancelled, waiting.State);
    }

    [Fact]
    public void ShutdownWithWaitFromInsideWaitsForTheOtherCallsAndReturns()
    {
        var executor = new TaskSchedulerExecutor();
        using var release = new ManualResetEventSlim();
        Future<int> other = executor.Submit(() => { release.Wait(Wait.Long); return 2; });
        Future<bool> f = executor.Submit(() =>
        {
            release.Set();
            executor.Shutdown(wait: true);
            return other.IsDone; // Shutdown returned only after every other accepted call finished
        });
        Assert.True(f.GetResult(Wait.Long));
        Assert.Equal(2, other.GetResult());
        executor.Shutdown();
    }

    [Fact]
    public void DependentsAndMapWork()
    {
        using var executor = new TaskSchedulerExecutor();
        Future<int> a = executor.Submit(() => 4);
        Assert.Equal(16, executor.SubmitMultiply(a, a).GetResult(Wait.Long));
        Assert.Equal(new[] { 2, 4, 6 }, executor.Map(i => i * 2, new[] { 1, 2, 3 }).ToArray());
    }
}
