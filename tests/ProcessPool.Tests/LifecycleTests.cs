using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>Recycling, shutdown, and futures that cross executors.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void MaxTasksPerChildRecyclesWorkers()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxTasksPerChild: 2);
        int[] pids = Enumerable.Range(0, 6).Select(_ => pool.SubmitProcessId().GetResult(Wait.Long)).ToArray();
        Assert.Equal(pids[0], pids[1]);
        Assert.Equal(pids[2], pids[3]);
        Assert.Equal(pids[4], pids[5]);
        Assert.Equal(3, pids.Distinct().Count());
        Wait.Until(() => Wait.HasExited(pids[0]) && Wait.HasExited(pids[2]), "recycled workers exit");
    }

    [Fact]
    public void ShutdownLeavesNoWorkerRunning()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 2);
        List<Future<int>> futures = Enumerable.Range(0, 20).Select(_ => pool.SubmitProcessId()).ToList();
        HashSet<int> pids = futures.Select(f => f.GetResult(Wait.Long)).ToHashSet();
        pids.UnionWith(pool.WorkerProcessIds);
        Assert.InRange(pids.Count, 1, 2);

        pool.Shutdown(wait: true);
        Assert.All(pids, pid => Assert.True(Wait.HasExited(pid), $"worker {pid} still runs after Shutdown(wait: true)"));
        Assert.Equal(0, pool.WorkerCount);
        Assert.Throws<ExecutorShutdownException>(() => pool.SubmitAdd(1, 2));
    }

    [Fact]
    public void DisposeFromADoneCallbackReturnsAndNoWorkerOutlivesThePool()
    {
        // The callback runs on the pool's reader thread: Dispose there waits for every other call, not for the one
        // whose completion it is part of, and returns; the workers then exit.
        var pool = new ProcessPoolExecutor(maxWorkers: 2);
        int pid = pool.SubmitProcessId().GetResult(Wait.Long);
        Future<int> later = pool.SubmitAdd(2, 3);
        using var disposed = new ManualResetEventSlim();
        Exception? thrown = null;
        pool.SubmitAdd(1, 2).OnDone(_ =>
        {
            try
            {
                pool.Dispose();
            }
            catch (Exception ex)
            {
                thrown = ex;
            }

            disposed.Set();
        });

        Assert.True(disposed.Wait(Wait.Long, TestContext.Current.CancellationToken), "Dispose inside a done-callback did not return");
        Assert.Null(thrown);
        Assert.Equal(5, later.GetResult(Wait.Long));
        Assert.True(pool.IsShutdown);
        Wait.Until(() => Wait.HasExited(pid), "the worker exits after the pool was disposed from a callback");
    }

    [Fact]
    public void ShutdownWithCancelFuturesKillsRunningCallsAndCancelsQueuedOnes()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> running = pool.SubmitBlockForever(ready);
            Future<int> queued = pool.SubmitAdd(1, 2);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the call runs in its worker");
            int worker = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);

            pool.Shutdown(wait: true, cancelFutures: true);
            Assert.Equal(FutureState.Cancelled, running.State);
            Assert.Equal(FutureState.Cancelled, queued.State);
            Assert.True(Wait.HasExited(worker));
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public async Task ShutdownWithoutWaitStillLetsWorkersGo()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int pid = await pool.SubmitProcessId();
        pool.Shutdown(wait: false);
        Wait.Until(() => Wait.HasExited(pid), "the idle worker exits after Shutdown(wait: false)");
        await pool.DisposeAsync();
    }

    private const string OrphanParentVariable = "PIPELINES_TEST_ORPHAN_PARENT";

    /// <summary>
    /// Run normally, starts this test assembly again running only this test, as a parent process that makes a pool and
    /// then hangs; kills that parent; and checks that its worker exits by itself. In the child, it is that parent.
    /// </summary>
    [Fact]
    public void WorkersExitWhenTheirParentProcessDies()
    {
        string? pidFile = Environment.GetEnvironmentVariable(OrphanParentVariable);
        if (pidFile is not null)
        {
            var pool = new ProcessPoolExecutor(maxWorkers: 1);
            File.WriteAllText(pidFile, pool.SubmitProcessId().GetResult(Wait.Long).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Thread.Sleep(Timeout.Infinite); // the test kills us here, pool and all
        }

        pidFile = Wait.NewFilePath();
        string self = Environment.ProcessPath!;
        var startInfo = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] commandLine = Environment.GetCommandLineArgs();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            startInfo.ArgumentList.Add(commandLine[0]);
        }

        startInfo.ArgumentList.Add("-method");
        startInfo.ArgumentList.Add($"{typeof(LifecycleTests).FullName}.{nameof(WorkersExitWhenTheirParentProcessDies)}");
        startInfo.Environment[OrphanParentVariable] = pidFile;
        using Process parent = Process.Start(startInfo)!;
        parent.BeginOutputReadLine();
        parent.BeginErrorReadLine();
        try
        {
            Wait.Until(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, "the parent's pool has a worker");
            int worker = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Wait.HasExited(worker));

            parent.Kill();
            Assert.True(parent.WaitForExit(Wait.Long));
            Wait.Until(() => Wait.HasExited(worker), "the orphaned worker exits");
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }

            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task FuturesCrossExecutors()
    {
        using var threads = new ThreadPoolExecutor(maxWorkers: 2);
        await using var pool = new ProcessPoolExecutor(maxWorkers: 2);

        // A thread-pool future feeds a process-pool call, whose future feeds a thread-pool call and a Then chain.
        Future<int> local = threads.Submit(() => 20);
        Future<int> remote = pool.SubmitAdd(local, 22);
        Future<int> back = threads.SubmitAdd(remote, 100);
        Future<int> chained = remote.ThenAdd(1); // runs on the process pool
        Assert.Equal(42, await remote);
        Assert.Equal(142, back.GetResult(Wait.Long));
        Assert.Equal(43, chained.GetResult(Wait.Long));

        // Wait and AsCompleted over futures of both executors.
        var mixed = new List<Future<int>> { pool.SubmitAdd(1, 1), threads.SubmitAdd(2, 2), pool.SubmitAdd(remote, remote) };
        (IReadOnlyList<Future<int>> done, IReadOnlyList<Future<int>> notDone) = Futures.Wait(mixed, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Equal(3, done.Count);
        Assert.Empty(notDone);
        Assert.Equal(new[] { 2, 4, 84 }, Futures.AsCompleted(mixed, Wait.Long).Select(f => f.GetResult()).OrderBy(x => x));

        // Failure and cancellation propagate across the boundary without running the call.
        Future<int> failed = pool.SubmitAdd(threads.Submit(new Func<int>(() => throw new FormatException("upstream"))), 1);
        Assert.IsType<FormatException>(failed.GetException(Wait.Long));
        Future<int> remoteFailure = threads.SubmitAdd(pool.SubmitFail("remote"), 1);
        Assert.IsType<InvalidOperationException>(remoteFailure.GetException(Wait.Long));
    }

    [Fact]
    public async Task AFutureCompletedByHandOrATaskFeedsAProcessPoolCall()
    {
        await using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var source = new FutureCompletionSource<int>();
        Future<int> sum = pool.SubmitAdd(source.Future, 2);
        Assert.True(source.TrySetRunning());
        Assert.Equal(FutureState.Pending, sum.State); // waits for the argument, here, without a thread
        source.SetResult(40);
        Assert.Equal(42, await sum);

        var task = new TaskCompletionSource<int>();
        Future<int> fromTask = pool.SubmitAdd(task.Task.AsFuture(), 1);
        task.SetResult(9);
        Assert.Equal(10, await fromTask);
    }

    [Fact]
    public void ACallMadeReadyByACompletionRunsBeforeRootCallsThatHaveNotStarted()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        string go = Wait.NewFilePath();
        string order = Wait.NewFilePath();
        try
        {
            Future<int> busy = pool.SubmitWaitForGo(ready, go);
            Wait.Until(() => File.Exists(ready), "the only worker is busy");
            List<Future<int>> roots = Enumerable.Range(1, 3).Select(i => pool.SubmitRecord(order, i, 0)).ToList();
            var upstream = new FutureCompletionSource<int>();
            Future<int> readied = pool.SubmitRecord(order, upstream.Future, 0);
            upstream.SetResult(99); // made ready by a completion, after the roots were queued

            File.WriteAllText(go, "go");
            Futures.Wait(roots.Append(readied).Append(busy).ToList(), ReturnWhen.AllCompleted, Wait.Long);
            Assert.Equal(new[] { "99", "1", "2", "3" }, File.ReadAllLines(order));
        }
        finally
        {
            File.Delete(ready);
            File.Delete(go);
            File.Delete(order);
        }
    }
}
