using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Futures.All / Any, lambda Then / Catch, per-call retries and timeouts, CancelAfter, WithCancellation, bounded queues.</summary>
public class CombinatorTests
{
    [Fact]
    public void AllGathersInInputOrderAndFailsWithTheFirstFailuresInstance()
    {
        using var pool = new ThreadPoolExecutor(2);
        var gates = Enumerable.Range(0, 3).Select(_ => new Promise<int>()).ToArray();
        Future<int[]> all = Futures.All(gates.Select(g => g.Future));
        gates[2].SetResult(30);
        gates[0].SetResult(10);
        Assert.False(all.IsDone);
        gates[1].SetResult(20);
        Assert.Equal(new[] { 10, 20, 30 }, all.GetResult(Wait.Long));

        var error = new IOException("disk");
        Future<int[]> failing = Futures.All(new[] { pool.Submit(() => 1), Future.FromException<int>(error) });
        Assert.Same(error, Assert.Throws<IOException>(() => failing.GetResult(Wait.Long)));
        Assert.True(Futures.All(new[] { Future.FromCancelled<int>() }).IsCancelled);
        Assert.Empty(Futures.All(Array.Empty<Future<int>>()).GetResult());
    }

    [Fact]
    public void AnyTakesTheFirstSuccessAndFailsOnlyWhenAllDo()
    {
        var slow = new Promise<int>();
        Future<int> any = Futures.Any(new[] { slow.Future, Future.FromException<int>(new IOException()), Future.FromResult(7) });
        Assert.Equal(7, any.GetResult(Wait.Long));
        slow.SetResult(1);

        var a = new IOException("a");
        var b = new FormatException("b");
        AggregateException all = Assert.Throws<AggregateException>(() => Futures.Any(new[] { Future.FromException<int>(a), Future.FromException<int>(b) }).GetResult());
        Assert.Equal(new Exception[] { a, b }, all.InnerExceptions);
        Assert.True(Futures.Any(new[] { Future.FromCancelled<int>() }).IsCancelled);
        Assert.Equal("futures", Assert.Throws<ArgumentException>(() => Futures.Any(Array.Empty<Future<int>>())).ParamName);
    }

    [Fact]
    public async Task ThenRunsLambdasWithTheStubsPropagationRules()
    {
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "then-check");
        Future<int> source = pool.Submit(() => 20);
        Future<string> text = source.Then(x => (x + 1).ToString());
        Future<int> asyncThen = source.Then(async (x, ct) => { await Task.Delay(1, ct); return x * 2; });
        string? ranOn = null;
        Future done = source.Then(_ => { ranOn = Thread.CurrentThread.Name; });
        Assert.Equal("21", await text);
        Assert.Equal(40, await asyncThen);
        await done;
        Assert.StartsWith("then-check", ranOn); // on the source future's executor

        var error = new IOException("upstream");
        int ran = 0;
        Future<int> skipped = Future.FromException<int>(error).Then(x => ++ran);
        Assert.Same(error, Assert.Throws<IOException>(() => skipped.GetResult(Wait.Long)));
        Assert.True(Future.FromCancelled<int>().Then(x => ++ran).Wait(Wait.Long));
        Assert.Equal(0, ran);
    }

    [Fact]
    public void CatchRecoversFromOneKindOfFailureOnly()
    {
        using var pool = new ThreadPoolExecutor(1);
        Assert.Equal(5, pool.Submit(() => 5).Catch<IOException>(_ => -1).GetResult(Wait.Long));
        Assert.Equal(-1, pool.Submit(new Func<int>(() => throw new FileNotFoundException())).Catch<IOException>(_ => -1).GetResult(Wait.Long));
        var other = new FormatException();
        Assert.Same(other, Assert.Throws<FormatException>(() => pool.Submit(new Func<int>(() => throw other)).Catch<IOException>(_ => -1).GetResult(Wait.Long)));
        Assert.True(Future.FromCancelled<int>().Catch<Exception>(_ => 0).Wait(Wait.Long));
        Assert.True(Future.FromCancelled<int>().Catch<Exception>(_ => 0).IsCancelled);
    }

    [Fact]
    public void RetriesRerunAThrowingCallAndGiveUpWithTheLastException()
    {
        using var pool = new ThreadPoolExecutor(1);
        Future<int> recovers = pool.SubmitFlakyRetriedThrice(new RunCounter(), failures: 2);
        Assert.Equal(3, recovers.GetResult(Wait.Long));

        var runs = new RunCounter();
        Future<int> givesUp = pool.SubmitFlakyRetriedTwice(runs, failures: 5);
        Assert.Equal("run 3", Assert.Throws<IOException>(() => givesUp.GetResult(Wait.Long)).Message);
        Assert.Equal(3, runs.Count);
    }

    [Fact]
    public void ARetryWaitingOutItsBackoffSurvivesAGarbageCollection()
    {
        using var pool = new ThreadPoolExecutor(1);
        Future<int> call = pool.SubmitFlakyRetriedOnce(new RunCounter(), failures: 1);

        // The backoff's timer is referenced only by the call: were it not, one of these collections would take it
        // and the retry would never run.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!call.IsDone && deadline.Elapsed < Wait.Long)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(2, call.GetResult(Wait.Long));
    }

    [Fact]
    public void ACallOverItsTimeoutIsCancelledAndItsTokenSignalled()
    {
        using var pool = new ThreadPoolExecutor(1);
        using var observed = new ManualResetEventSlim();
        Future<int> call = pool.SubmitWaitOutTheTimeout(observed);
        Assert.True(call.Wait(Wait.Long));
        Assert.True(call.IsCancelled);
        Wait.For(observed, "the call to see its token");
    }

    [Fact]
    public void CancelAfterCancelsAPendingOrRunningCall()
    {
        using var pool = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        Future<bool> running = pool.Submit(ct => { started.Set(); return ct.WaitHandle.WaitOne(Wait.Long); });
        Future<int> queued = pool.Submit(() => 1).CancelAfter(TimeSpan.FromMilliseconds(30)); // behind the running call
        Wait.For(started, "the running call");

        // The one worker is busy until the running call is cancelled, and that happens only after the queued call is
        // done: the queued call cannot run before its clock fires (with equal clocks it could, once the worker freed).
        Assert.True(queued.Wait(Wait.Long));
        Assert.True(queued.IsCancelled);
        Assert.Same(running, running.CancelAfter(TimeSpan.FromMilliseconds(30)));
        Assert.True(running.Wait(Wait.Long));
        Assert.True(running.IsCancelled);
        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => running.CancelAfter(TimeSpan.FromSeconds(-2))).ParamName);
    }

    [Fact]
    public void WithCancellationCancelsEveryCallSubmittedThroughTheViewAndTheirDependents()
    {
        using var pool = new ThreadPoolExecutor(1);
        using var source = new CancellationTokenSource();
        IExecutor scoped = pool.WithCancellation(source.Token);
        using var started = new ManualResetEventSlim();
        Future<bool> running = scoped.Submit(ct => { started.Set(); return ct.WaitHandle.WaitOne(Wait.Long) && ct.IsCancellationRequested; });
        Future<int> queued = scoped.Submit(() => 1);
        Future<int> dependent = pool.SubmitAdd(queued, 1); // submitted on the pool itself
        Future<int> outside = pool.Submit(() => 3);
        Wait.For(started, "the running call");
        source.Cancel();
        Assert.True(Futures.Wait(new Future[] { running, queued, dependent, outside }, timeout: Wait.Long).NotDone.Count == 0);
        Assert.True(queued.IsCancelled);
        Assert.True(dependent.IsCancelled);
        Assert.True(running.IsCancelled || running.GetResult()); // its token was signalled
        Assert.Equal(3, outside.GetResult()); // the executor itself goes on
        scoped.Dispose(); // does nothing to the pool
        Assert.False(pool.IsShutdown);
    }

    [Fact]
    public async Task ABoundedQueueMakesSubmitsWaitForRoom()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1, maxQueued: 2);
        using var release = new ManualResetEventSlim();
        var accepted = new List<Future<int>>();
        for (int i = 0; i < 3; i++) // one running, two queued: full
        {
            int x = i;
            accepted.Add(pool.Submit(() => { release.Wait(Wait.Long); return x; }));
        }

        ValueTask room = pool.WaitForRoomAsync();
        Assert.False(room.IsCompleted);
        var blockedSubmit = Task.Run(() => pool.Submit(() => 3));
        Assert.False(blockedSubmit.Wait(50)); // no room: it waits (a short look, not a timing assertion on success)
        release.Set();
        await room.AsTask().WaitAsync(Wait.Long);
        Assert.Equal(3, (await blockedSubmit.WaitAsync(Wait.Long)).GetResult(Wait.Long));
        Assert.Equal(new[] { 0, 1, 2 }, accepted.Select(f => f.GetResult(Wait.Long)));
        Assert.Equal("maxQueued", Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadPoolExecutor(1, maxQueued: -1)).ParamName);
    }

    [Fact]
    public void SubmitsFromInsideABoundedPoolNeverWaitForRoom()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1, maxQueued: 0);
        Future<int> outer = pool.Submit(() => pool.Submit(() => 20).GetResult() + pool.Submit(() => 1).GetResult());
        Assert.Equal(21, outer.GetResult(Wait.Long));
    }
}
