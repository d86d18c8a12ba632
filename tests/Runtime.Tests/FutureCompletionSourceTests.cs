using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// <see cref="FutureCompletionSource{T}"/> (Python's <c>set_result</c>, <c>set_exception</c>,
/// <c>set_running_or_notify_cancel</c>) and <see cref="Future.FromTask{T}(Task{T})"/>.
/// </summary>
public sealed class FutureCompletionSourceTests
{
    [Fact]
    public void ManyThreadsCompletingAtOnceHaveExactlyOneWinner()
    {
        const int Rounds = 2000;
        var barrier = new Barrier(4);
        for (int round = 0; round < Rounds; round++)
        {
            var source = new FutureCompletionSource<int>();
            int callbacks = 0;
            source.Future.OnDone(_ => Interlocked.Increment(ref callbacks));
            var boom = new InvalidOperationException("boom");
            Func<bool>[] attempts =
            [
                () => source.TrySetResult(1),
                () => source.TrySetException(boom),
                () => source.TrySetCancelled(),
                () => source.TrySetResult(2),
            ];
            bool running = round % 2 == 0 && source.TrySetRunning(); // half the rounds race from Running, half from Pending
            var won = new bool[attempts.Length];
            Thread[] threads = new Thread[attempts.Length];
            for (int i = 0; i < attempts.Length; i++)
            {
                int index = i;
                threads[i] = new Thread(() =>
                {
                    Wait.For(barrier);
                    won[index] = attempts[index]();
                });
                threads[i].Start();
            }

            foreach (Thread thread in threads)
            {
                Assert.True(thread.Join(Wait.Long));
            }

            int winner = Array.IndexOf(won, true);
            Assert.Equal(1, won.Count(w => w));
            Assert.Equal(1, callbacks);
            Assert.Equal(round % 2 == 0, running);
            switch (winner)
            {
                case 0 or 3:
                    Assert.Equal(winner == 0 ? 1 : 2, source.Future.GetResult());
                    break;
                case 1:
                    Assert.Same(boom, source.Future.GetException());
                    break;
                default:
                    Assert.Equal(FutureState.Cancelled, source.Future.State);
                    break;
            }
        }
    }

    [Fact]
    public void TrySetRunningReportsACancellationThatCameFirst()
    {
        var source = new FutureCompletionSource<int>();
        Assert.True(source.Future.Cancel());
        Assert.False(source.TrySetRunning()); // the work must not start
        Assert.False(source.TrySetResult(1));

        var running = new FutureCompletionSource<int>();
        Assert.True(running.TrySetRunning());
        Assert.True(running.Future.IsRunning);
        Assert.False(running.TrySetRunning());
        Assert.False(running.Future.Cancel());            // running: its token is signalled instead
        Assert.True(running.CancellationToken.IsCancellationRequested);
        Assert.True(running.TrySetCancelled());
        Assert.True(running.Future.IsCancelled);
    }

    [Fact]
    public void SettersThrowOnceTheFutureIsDone()
    {
        var source = new FutureCompletionSource<string>();
        source.SetResult("once");
        Assert.Throws<InvalidOperationException>(() => source.SetResult("twice"));
        Assert.Throws<InvalidOperationException>(() => source.SetException(new FormatException()));
        Assert.Throws<InvalidOperationException>(() => source.SetCancelled());
        Assert.Throws<ArgumentNullException>(() => source.TrySetException(null!));
        Assert.Equal("once", source.Future.GetResult());
    }

    [Fact]
    public void TheFutureFeedsContinuationsAndWaitsLikeAnyOther()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var source = new FutureCompletionSource<int>();
        Future<int> doubled = source.Future.Then(x => x * 2);
        Future<int> added = pool.Submit(() => 1).Then(x => x + 1);
        Future<int[]> both = Futures.All(new[] { doubled, added });
        Assert.False(both.Wait(TimeSpan.FromMilliseconds(1)));
        source.SetResult(21);
        Assert.Equal(new[] { 42, 2 }, both.GetResult(Wait.Long));
    }

    [Fact]
    public void FromTaskCompletesOnTheThreadThatCompletesTheTask()
    {
        var task = new TaskCompletionSource<int>(); // continuations run synchronously
        Future<int> future = task.Task.AsFuture();
        Assert.Equal(FutureState.Running, future.State);
        int completedOn = -1;
        future.OnDone(_ => completedOn = Environment.CurrentManagedThreadId);

        var setter = new Thread(() => task.SetResult(7));
        setter.Start();
        Assert.True(setter.Join(Wait.Long));
        Assert.Equal(setter.ManagedThreadId, completedOn);
        Assert.Equal(7, future.GetResult());
    }

    [Fact]
    public void FromTaskKeepsTheTasksOutcome()
    {
        Assert.Equal(3, Future.FromTask(Task.FromResult(3)).GetResult());
        var failure = new FormatException("bad");
        Assert.Same(failure, Future.FromTask(Task.FromException<int>(failure)).GetException());
        Assert.True(Future.FromTask(Task.FromCanceled<int>(new CancellationToken(canceled: true))).IsCancelled);

        var pending = new TaskCompletionSource();
        Future voidFuture = pending.Task.AsFuture();
        Assert.False(voidFuture.IsDone);
        var late = new IndexOutOfRangeException("late");
        pending.SetException(late);
        Assert.Same(late, voidFuture.GetException(Wait.Long));

        var cancelled = new TaskCompletionSource<int>();
        Future<int> cancelledFuture = Future.FromTask(cancelled.Task);
        cancelled.SetCanceled();
        Assert.True(cancelledFuture.Wait(Wait.Long));
        Assert.True(cancelledFuture.IsCancelled);
        Assert.Throws<ArgumentNullException>(() => Future.FromTask<int>(null!));
    }
}
