using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>Exceptions, cancellation that kills, and workers that die.</summary>
public sealed class FailureTests
{
    [Fact]
    public void ExceptionComesBackWithItsOwnTypeMessageAndRemoteStack()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Future<int> failed = pool.SubmitFail("boom");
        var error = Assert.IsType<InvalidOperationException>(failed.GetException(Wait.Long));
        Assert.Equal("boom", error.Message);
        Assert.Contains("Jobs.Fail", error.StackTrace); // the worker's stack, then this process's
        Assert.Contains("End of remote stack trace", error.ToString());
        Assert.Throws<InvalidOperationException>(() => failed.GetResult());

        // A type that cannot be rebuilt (no message constructor) comes back as a RemoteException naming it.
        var remote = Assert.IsType<RemoteException>(pool.SubmitFailWithoutMessageConstructor("odd").GetException(Wait.Long));
        Assert.Equal(typeof(Jobs.NoMessageConstructorException).FullName, remote.RemoteTypeName);
        Assert.Equal("odd", remote.Message);
        Assert.Contains("Jobs.FailWithoutMessageConstructor", remote.RemoteStackTrace);

        // The worker survives a thrown exception.
        Assert.Equal(3, pool.SubmitAdd(1, 2).GetResult(Wait.Long));
    }

    [Fact]
    public void CancelKillsTheRunningCallsWorkerAndThePoolGoesOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> blocked = pool.SubmitBlockForever(ready);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the call runs in its worker");
            int worker = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);

            Assert.False(blocked.Cancel()); // it was running: Python semantics
            Assert.True(blocked.Wait(Wait.Long));
            Assert.Equal(FutureState.Cancelled, blocked.State);
            Wait.Until(() => Wait.HasExited(worker), "the worker is gone");

            int next = pool.SubmitProcessId().GetResult(Wait.Long);
            Assert.NotEqual(worker, next);
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void CallTimeoutKillsTheWorkerAndCancelsTheCall()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, callTimeout: TimeSpan.FromSeconds(1));
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> blocked = pool.SubmitBlockForever(ready);
            Assert.True(blocked.Wait(Wait.Long));
            Assert.Equal(FutureState.Cancelled, blocked.State);
            Assert.Equal(5, pool.SubmitAdd(2, 3).GetResult(Wait.Long));
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void WorkerThatExitsMidCallFailsThatCallAndIsReplaced()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int first = pool.SubmitProcessId().GetResult(Wait.Long);

        Future<int> crashed = pool.SubmitExitWith(3);
        var error = Assert.IsType<BrokenProcessPoolException>(crashed.GetException(Wait.Long));
        Assert.Equal(3, error.ExitCode);
        Assert.Equal(first, error.ProcessId);
        Assert.Contains("exit code 3", error.Message);
        Assert.IsAssignableFrom<BrokenExecutorException>(error);

        Assert.False(pool.IsBroken);
        int second = pool.SubmitProcessId().GetResult(Wait.Long);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void StackOverflowInAWorkerFailsOnlyThatCall()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Future<int> crashed = pool.SubmitRecurse(0);
        var error = Assert.IsType<BrokenProcessPoolException>(crashed.GetException(Wait.Long));
        Assert.NotNull(error.ExitCode);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Equal(4, pool.SubmitAdd(2, 2).GetResult(Wait.Long));
    }

    [Fact]
    public void StrictModeBreaksThePoolOnWorkerDeath()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, breakOnWorkerDeath: true);
        Future<int> crashed = pool.SubmitExitWith(3);
        Future<int> queued = pool.SubmitAdd(1, 1); // waits behind the crash: one worker

        Assert.Equal(3, Assert.IsType<BrokenProcessPoolException>(crashed.GetException(Wait.Long)).ExitCode);
        Assert.IsAssignableFrom<BrokenExecutorException>(queued.GetException(Wait.Long));
        Assert.True(pool.IsBroken);
        Assert.Throws<BrokenProcessPoolException>(() => pool.SubmitAdd(1, 2));
    }

    [Fact]
    public void DelegatesAreNotSupported()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Future<int> lambda = pool.Submit(() => 42);
        var error = Assert.IsType<NotSupportedException>(lambda.GetException(Wait.Long));
        Assert.Contains("[Submittable]", error.Message);
        Assert.Equal(0, pool.WorkerCount); // nothing was started for it
    }

    [Fact]
    public void ArgumentsAreValidated()
    {
        Assert.Equal("maxWorkers", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxWorkers: 0)).ParamName);
        Assert.Equal("maxTasksPerChild", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxTasksPerChild: 0)).ParamName);
        Assert.Equal("callTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(callTimeout: TimeSpan.Zero)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new ProcessPoolExecutor(null!)).ParamName);
    }

    [Fact]
    public void OptionsAreValidatedOnceAndErrorsNameTheSetting()
    {
        var maxWorkers = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 0 }));
        Assert.Equal("options", maxWorkers.ParamName);
        Assert.Contains("ProcessPoolOptions.MaxWorkers", maxWorkers.Message);
        var startTimeout = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { WorkerStartTimeout = TimeSpan.Zero }));
        Assert.Equal("options", startTimeout.ParamName);
        Assert.Contains("ProcessPoolOptions.WorkerStartTimeout", startTimeout.Message);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { Name = " " })).ParamName);
        Assert.Contains("callTimeout must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(callTimeout: TimeSpan.FromSeconds(-1))).Message);
    }
}
