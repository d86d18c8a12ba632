using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>add_done_callback: once, in order, at once when done, and a throwing callback is reported, not lost.</summary>
public class CallbackTests
{
    [Fact]
    public void CallbacksRunOnceInRegistrationOrder()
    {
        var promise = new Promise<int>();
        var order = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            int n = i;
            promise.Future.OnDone(f => order.Add(n));
        }

        Assert.Empty(order);
        promise.SetResult(1);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order);
    }

    [Fact]
    public void CallbackOnADoneFutureRunsAtOnceOnThisThread()
    {
        Future<int> f = Future.FromResult(3);
        int thread = -1;
        Future<int>? seen = null;
        f.OnDone(done => { seen = done; thread = Environment.CurrentManagedThreadId; });
        Assert.Same(f, seen); // typed: Future<int>
        Assert.Equal(Environment.CurrentManagedThreadId, thread);

        int untyped = 0;
        Future.FromCancelled().OnDone((Future _) => untyped++);
        Assert.Equal(1, untyped);
    }

    [Fact]
    public void CallbacksSeeTheFinalStateForEveryOutcome()
    {
        using var executor = new ThreadPoolExecutor(2);
        var states = new ConcurrentQueue<FutureState>();
        using var all = new CountdownEvent(3);
        void Record(Future f)
        {
            states.Enqueue(f.State);
            all.Signal();
        }

        executor.Submit(() => 1).OnDone(Record);
        executor.Submit(new Func<int>(() => throw new InvalidOperationException())).OnDone(Record);
        var upstream = new Promise<int>();
        Future<int> cancelled = executor.SubmitIdentity(upstream.Future);
        cancelled.OnDone(Record);
        Assert.True(cancelled.Cancel());
        Assert.True(all.Wait(Wait.Long));
        Assert.Contains(FutureState.Succeeded, states);
        Assert.Contains(FutureState.Faulted, states);
        Assert.Contains(FutureState.Cancelled, states);
    }

    [Fact]
    public void ThrowingCallbackIsReportedOnTheExecutorAndOthersStillRun()
    {
        using var executor = new ThreadPoolExecutor(1);
        var reported = new ConcurrentQueue<FutureCallbackExceptionEventArgs>();
        executor.CallbackFaulted += (sender, e) =>
        {
            Assert.Same(executor, sender);
            reported.Enqueue(e);
        };

        var error = new InvalidTimeZoneException("boom");
        using var gate = new ManualResetEventSlim();
        Future<int> f = executor.Submit(() => { gate.Wait(Wait.Long); return 1; });
        int after = 0;
        f.OnDone(_ => throw error);
        f.OnDone(_ => Interlocked.Increment(ref after));
        f.OnDone(_ => throw new NullReferenceException());
        gate.Set();
        Wait.Done(f);
        Wait.Until(() => reported.Count == 2, "both failures are reported");
        Assert.Equal(1, after);
        Assert.True(reported.TryDequeue(out FutureCallbackExceptionEventArgs? first));
        Assert.Same(error, first!.Exception);
        Assert.Same(f, first.Future);

        // The worker survived: the next call runs, on the same single worker.
        Assert.Equal(2, executor.Submit(() => 2).GetResult(Wait.Long));
        Assert.Equal(1, executor.WorkerCount);
    }

    [Fact]
    public void ThrowingCallbackWithoutExecutorHandlerRaisesUnobservedCallbackException()
    {
        var promise = new Promise<int>();
        var error = new ArithmeticException("callback");
        Exception? seen = null;
        EventHandler<FutureCallbackExceptionEventArgs> handler = (_, e) =>
        {
            if (ReferenceEquals(e.Future, promise.Future))
            {
                seen = e.Exception;
            }
        };
        Future.UnobservedCallbackException += handler;
        try
        {
            int ran = 0;
            promise.Future.OnDone(_ => throw error);
            promise.Future.OnDone(_ => ran++);
            promise.SetResult(1);
            Assert.Same(error, seen);
            Assert.Equal(1, ran);

            // Also when the callback is added to a future that is already done.
            seen = null;
            promise.Future.OnDone(_ => throw error);
            Assert.Same(error, seen);
        }
        finally
        {
            Future.UnobservedCallbackException -= handler;
        }
    }

    [Fact]
    public void CallbackAddedWhileTheFutureCompletesRunsExactlyOnce()
    {
        using var executor = new ThreadPoolExecutor(2);
        for (int i = 0; i < 500; i++)
        {
            using var go = new ManualResetEventSlim();
            Future<int> f = executor.Submit(() => { go.Wait(Wait.Long); return 1; });
            var counts = new int[8];
            using var barrier = new Barrier(2);
            var adder = new Thread(() =>
            {
                barrier.SignalAndWait(Wait.Long);
                for (int k = 0; k < counts.Length; k++)
                {
                    int slot = k;
                    f.OnDone(_ => Interlocked.Increment(ref counts[slot]));
                }
            });
            adder.Start();
            barrier.SignalAndWait(Wait.Long);
            go.Set();
            Assert.True(adder.Join(Wait.Long));
            Wait.Done(f);
            Wait.Until(() => Array.TrueForAll(counts, c => c >= 1), "every callback ran");
            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void ReentrantSubmitFromACallbackWorks()
    {
        using var executor = new ThreadPoolExecutor(1);
        var chained = new TaskCompletionSourceFuture();
        executor.Submit(() => 1).OnDone(f => chained.Set(executor.Submit(() => f.GetResult() + 1)));
        Assert.Equal(2, chained.Get().GetResult(Wait.Long));
    }

    /// <summary>Hands a future from a callback to the test thread.</summary>
    private sealed class TaskCompletionSourceFuture
    {
        private readonly System.Threading.Tasks.TaskCompletionSource<Future<int>> _source = new();

        public void Set(Future<int> f) => _source.SetResult(f);

        public Future<int> Get()
        {
            Assert.True(_source.Task.Wait(Wait.Long));
            return _source.Task.Result;
        }
    }

    [Fact]
    public void NullCallbackIsRejected()
    {
        Future<int> f = Future.FromResult(1);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => f.OnDone((Action<Future<int>>)null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => f.OnDone((Action<Future>)null!)).ParamName);
    }
}
