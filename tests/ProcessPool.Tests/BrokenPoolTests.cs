using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// CPython's broken-pool rules with <c>breakOnWorkerDeath: true</c>: every queued and running call fails with its own
/// <see cref="BrokenProcessPoolException"/>, the other workers are ended, and later submits throw one naming the cause.
/// The default pool replaces a dead worker and goes on.
/// </summary>
public sealed class BrokenPoolTests
{
    [Fact]
    public void StrictPoolFailsEveryRunningAndQueuedCallEachWithItsOwnExceptionAndEndsTheOtherWorkers()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2, breakOnWorkerDeath: true);
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> running = pool.SubmitBlockForever(ready);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the first call runs");
            int otherWorker = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);

            Future<int> crashed = pool.SubmitExitWith(3);             // the second worker dies with it
            List<Future<int>> queued = Enumerable.Range(0, 3).Select(i => pool.SubmitAdd(i, i)).ToList();

            var cause = Assert.IsType<BrokenProcessPoolException>(crashed.GetException(Wait.Long));
            Assert.Equal(3, cause.ExitCode);
            Assert.Contains("The pool is broken", cause.Message);

            var others = new List<Exception> { cause };
            foreach (Future<int> future in queued.Prepend(running))
            {
                var error = Assert.IsType<BrokenProcessPoolException>(future.GetException(Wait.Long));
                Assert.Equal(cause.Message, error.Message);
                Assert.Equal(3, error.ExitCode);
                Assert.DoesNotContain(others, seen => ReferenceEquals(seen, error)); // each call its own instance
                others.Add(error);
            }

            Wait.Until(() => Wait.HasExited(otherWorker), "the other worker is ended");
            Assert.True(pool.IsBroken);

            var refused = Assert.Throws<BrokenProcessPoolException>(() => pool.SubmitAdd(1, 2));
            Assert.Contains("Cannot submit", refused.Message);
            Assert.Contains("died with exit code 3", refused.Message);
            Assert.Equal(3, refused.ExitCode);
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void StrictPoolBreaksWhenAnIdleWorkerIsKilledAndSaysItWasKilled()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, breakOnWorkerDeath: true);
        int worker = pool.SubmitProcessId().GetResult(Wait.Long);
        Signals.Kill(worker);
        Wait.Until(() => pool.IsBroken, "the pool notices the death");

        var refused = Assert.Throws<BrokenProcessPoolException>(() => pool.SubmitProcessId());
        Assert.Contains("killed by signal 9", refused.Message);
        Assert.DoesNotContain("RunWorkerIfRequested", refused.Message);
        Assert.Equal(worker, refused.ProcessId);
    }

    [Fact]
    public void ADefaultPoolReplacesAKilledIdleWorker()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int worker = pool.SubmitProcessId().GetResult(Wait.Long);
        Signals.Kill(worker);
        Wait.Until(() => pool.WorkerCount == 0, "the pool notices the death");
        Assert.NotEqual(worker, pool.SubmitProcessId().GetResult(Wait.Long));
        Assert.False(pool.IsBroken);
    }

    [Fact]
    public void ACallWaitingForAnArgumentWhenThePoolBreaksFailsWithItsOwnException()
    {
        using var threads = new ThreadPoolExecutor(maxWorkers: 1);
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, breakOnWorkerDeath: true);
        using var gate = new System.Threading.ManualResetEventSlim();
        Future<int> argument = threads.Submit(() => { gate.Wait(Wait.Long); return 1; });
        Future<int> first = pool.SubmitAdd(argument, 1);
        Future<int> second = pool.SubmitAdd(argument, 2);

        var cause = Assert.IsType<BrokenProcessPoolException>(pool.SubmitExitWith(3).GetException(Wait.Long));
        gate.Set();
        var one = Assert.IsType<BrokenProcessPoolException>(first.GetException(Wait.Long));
        var two = Assert.IsType<BrokenProcessPoolException>(second.GetException(Wait.Long));
        Assert.NotSame(one, two);
        Assert.NotSame(cause, one);
        Assert.Equal(cause.Message, one.Message);
    }
}
