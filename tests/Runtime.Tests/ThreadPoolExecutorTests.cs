using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Worker threads: created on demand up to maxWorkers, reused when idle, named {prefix}_{n}.</summary>
public class ThreadPoolExecutorTests
{
    [Fact]
    public void ThreadsAreNamedPrefixUnderscoreNumber()
    {
        using var executor = new ThreadPoolExecutor(2, threadNamePrefix: "SpecialPool");
        using var barrier = new Barrier(2);
        List<Future<string?>> names = Enumerable.Range(0, 2).Select(_ => executor.Submit(() =>
        {
            barrier.SignalAndWait(Wait.Long);
            return Thread.CurrentThread.Name;
        })).ToList();
        Assert.Equal(new[] { "SpecialPool_0", "SpecialPool_1" }, names.Select(f => f.GetResult(Wait.Long)).OrderBy(n => n));
        Assert.Equal("SpecialPool", executor.Name);
    }

    [Fact]
    public void DefaultNamesComeFromThePoolName()
    {
        using var executor = new ThreadPoolExecutor(1);
        Assert.StartsWith("ThreadPoolExecutor-", executor.Name);
        Assert.Equal(executor.Name + "_0", executor.Submit(() => Thread.CurrentThread.Name).GetResult(Wait.Long));
        Assert.True(executor.Submit(() => Thread.CurrentThread.IsBackground).GetResult(Wait.Long));
    }

    [Fact]
    public void DefaultMaxWorkersIsLikePython()
    {
        using var executor = new ThreadPoolExecutor();
        Assert.Equal(Math.Min(32, Environment.ProcessorCount + 4), executor.MaxWorkers);
        Assert.Equal(0, executor.WorkerCount); // no thread before the first submit
    }

    [Fact]
    public void WorkersAreCreatedOnDemandUpToMaxWorkers()
    {
        using var executor = new ThreadPoolExecutor(3);
        using var release = new ManualResetEventSlim();
        using var barrier = new Barrier(4);
        var futures = new List<Future>();
        for (int i = 0; i < 3; i++)
        {
            futures.Add(executor.Submit(() => { barrier.SignalAndWait(Wait.Long); release.Wait(Wait.Long); }));
        }

        Wait.For(barrier); // three calls running at once: three workers
        for (int i = 0; i < 7; i++)
        {
            futures.Add(executor.Submit(() => { }));
        }

        Assert.Equal(3, executor.WorkerCount); // never more than maxWorkers
        Assert.Equal(7, executor.QueuedCount);
        release.Set();
        Futures.Wait(futures, timeout: Wait.Long);
        Assert.All(futures, f => Assert.True(f.IsDone));
        Assert.Equal(3, executor.WorkerCount);
    }

    [Fact]
    public void IdleWorkersAreReused()
    {
        using var executor = new ThreadPoolExecutor(4);
        var threads = new HashSet<int>();
        for (int i = 0; i < 10; i++)
        {
            threads.Add(executor.Submit(() => Environment.CurrentManagedThreadId).GetResult(Wait.Long));
            Wait.Until(() => executor.IdleWorkerCount == executor.WorkerCount, "the worker is idle again");
        }

        Assert.Single(threads);
        Assert.Equal(1, executor.WorkerCount);
    }

    [Fact]
    public void TwoCallsSubmittedTogetherRunTogetherEvenWithOneIdleWorker()
    {
        // One idle worker, two calls that must run at the same time (the first waits for the second). The second
        // submit must not count on the idle worker that the first submit has already woken: it needs a new worker.
        using var executor = new ThreadPoolExecutor(2);
        for (int round = 0; round < 20; round++)
        {
            executor.Submit(() => 0).GetResult(Wait.Long);
            Wait.Until(() => executor.IdleWorkerCount == executor.WorkerCount, "the pool is idle");
            using var signal = new ManualResetEventSlim();
            Future<bool> waiter = executor.Submit(() => signal.Wait(Wait.Long));
            Future setter = executor.Submit(signal.Set);
            Assert.True(waiter.GetResult(Wait.Long), $"round {round}: the second call never ran beside the first");
            setter.Wait(Wait.Long);
        }
    }

    [Fact]
    public void IdleCountReturnsToWorkerCount()
    {
        using var executor = new ThreadPoolExecutor(4);
        Futures.Wait(Enumerable.Range(0, 1000).Select(i => executor.Submit(() => i)).ToList(), timeout: Wait.Long);
        Wait.Until(() => executor.IdleWorkerCount == executor.WorkerCount, "every worker is idle");
        Assert.InRange(executor.WorkerCount, 1, 4);
        Assert.Equal(0, executor.QueuedCount);
    }

    [Fact]
    public void ManyThreadsSubmittingAtOnceLoseNothing()
    {
        using var executor = new ThreadPoolExecutor(3);
        var futures = new ConcurrentBag<Future<int>>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                futures.Add(executor.Submit(() => 1));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Wait.Long)));
        Assert.Equal(20000, futures.Sum(f => f.GetResult(Wait.Long)));
    }
}
