using System;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// Processes that calls start cannot hang the pool or talk on its pipes; the pool can kill them with their worker; and
/// the terminal's Ctrl+C belongs to the parent. Linux-only behaviour (process groups, /proc), where the tests run.
/// </summary>
public sealed class ProcessHygieneTests
{
    [Fact]
    public void AProcessACallStartsHoldsNoneOfTheWorkersPipes()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Assert.Equal(0, pool.SubmitProtocolPipesSharedWithAChild().GetResult(Wait.Long));
    }

    [Fact]
    public void DisposeDoesNotWaitForAProcessACallStarted()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int sleeper = pool.SubmitStartSleeper(120).GetResult(Wait.Long);
        try
        {
            pool.Dispose(); // the worker exits; nothing keeps the pool waiting on its pipe
            Assert.False(Wait.HasExited(sleeper), "Dispose returned only after the child was gone: it waited for it");
            Assert.Equal(0, pool.WorkerCount);
        }
        finally
        {
            Signals.Kill(sleeper);
        }
    }

    [Fact]
    public void AWorkerThatExitsFailsItsCallAtOnceWhileAChildItStartedLivesOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        int sleeper = 0;
        try
        {
            var error = Assert.IsType<BrokenProcessPoolException>(pool.SubmitStartSleeperThenExit(120, 3, ready).GetException(Wait.Long));
            sleeper = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(3, error.ExitCode);
            Assert.False(Wait.HasExited(sleeper), "the call failed only once the child was gone");
        }
        finally
        {
            Signals.Kill(sleeper);
            File.Delete(ready);
        }
    }

    [Fact]
    public void ATimedOutCallEndsCancelledAtOnceAndTakesTheProcessesItStartedWithIt()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, callTimeout: TimeSpan.FromSeconds(1));
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> call = pool.SubmitStartSleeperThenBlock(120, ready);
            Assert.True(call.Wait(Wait.Long));
            Assert.Equal(FutureState.Cancelled, call.State);
            int sleeper = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);
            Wait.Until(() => Wait.HasExited(sleeper), "the child dies with its worker's process group");
            Assert.Equal(5, pool.SubmitAdd(2, 3).GetResult(Wait.Long));
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void ACancelledCallEndsCancelledAndTakesTheProcessesItStartedWithIt()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        try
        {
            Future<int> call = pool.SubmitStartSleeperThenBlock(120, ready);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the call started its child");
            int sleeper = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(call.Cancel()); // running: Python semantics
            Assert.True(call.Wait(Wait.Long));
            Assert.Equal(FutureState.Cancelled, call.State);
            Wait.Until(() => Wait.HasExited(sleeper), "the child dies with its worker's process group");
        }
        finally
        {
            File.Delete(ready);
        }
    }

    [Fact]
    public void WorkersLeadTheirOwnProcessGroupSoTheTerminalsCtrlCReachesOnlyTheParent()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int[] group = pool.SubmitProcessGroup().GetResult(Wait.Long);
        Assert.Equal(group[0], group[1]); // pid == pgid: not in the parent's (the terminal's foreground) group
        Assert.NotEqual(Signals.ProcessGroup(), group[1]);
    }

    [Fact]
    public void AWorkerThatReceivesSigintKeepsRunningItsCall()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        string ready = Wait.NewFilePath();
        string go = Wait.NewFilePath();
        try
        {
            Future<int> call = pool.SubmitWaitForGo(ready, go);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the call runs in its worker");
            int worker = int.Parse(File.ReadAllText(ready), System.Globalization.CultureInfo.InvariantCulture);

            Signals.Interrupt(worker); // what Ctrl+C would send it, were it in the terminal's group
            File.WriteAllText(go, "go");
            Assert.Equal(42, call.GetResult(Wait.Long));
            Assert.False(Wait.HasExited(worker));
            Assert.Equal(worker, pool.SubmitProcessId().GetResult(Wait.Long));
        }
        finally
        {
            File.Delete(ready);
            File.Delete(go);
        }
    }
}

/// <summary>Signals and process groups, for the tests.</summary>
internal static class Signals
{
    public static void Interrupt(int processId) => Assert.Equal(0, kill(processId, 2));

    public static void Kill(int processId)
    {
        if (processId > 0)
        {
            _ = kill(processId, 9);
        }
    }

    public static int ProcessGroup() => getpgid(0);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int getpgid(int pid);
}
