using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary><c>maxQueued</c> on a process pool: the thread pool's semantics (a submit beyond maxWorkers + maxQueued waits for room).</summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task AFullPoolMakesSubmitsWaitForRoomUntilACallFinishes()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxQueued: 1);
        Assert.Equal(1, pool.MaxQueued);
        string ready = Wait.NewFilePath();
        string go = Wait.NewFilePath();
        try
        {
            Future<int> running = pool.SubmitWaitForGo(ready, go);
            Future<int> queued = pool.SubmitAdd(1, 2);
            ValueTask room = pool.WaitForRoomAsync(TestContext.Current.CancellationToken);
            Assert.False(room.IsCompleted); // two unfinished calls: full

            Future<int>? third = null;
            var submitter = new Thread(() => third = pool.SubmitAdd(3, 4)) { IsBackground = true };
            submitter.Start();

            File.WriteAllText(go, "go");   // the running call returns, the queued one runs: room again
            await room.AsTask().WaitAsync(Wait.Long, TestContext.Current.CancellationToken);
            Assert.True(submitter.Join(Wait.Long), "the blocked submit never got room");
            Assert.Equal(42, await running);
            Assert.Equal(3, await queued);
            Assert.Equal(7, third!.GetResult(Wait.Long));
        }
        finally
        {
            File.Delete(ready);
            File.Delete(go);
        }
    }

    [Fact]
    public async Task ADoneCallbackOfAFullPoolMaySubmitToItWithoutWaiting()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxQueued: 0);
        var chained = new TaskCompletionSource<Future<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.SubmitAdd(1, 1).OnDone(done => chained.SetResult(pool.SubmitAdd(done.GetResult(), 1))); // on the pool's reader thread
        Future<int> next = await chained.Task.WaitAsync(Wait.Long, TestContext.Current.CancellationToken);
        Assert.Equal(3, await next);
    }

    [Fact]
    public void MaxQueuedIsValidated()
    {
        Assert.Equal("maxQueued", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxQueued: -1)).ParamName);
        var options = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { MaxQueued = -1 }));
        Assert.Contains("ProcessPoolOptions.MaxQueued", options.Message);
        Assert.Contains("MaxMessageBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { MaxMessageBytes = 10 })).Message);
    }
}
