using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// Workers that break the pipe protocol (tests/FakeWorker, started through <see cref="ProcessPoolOptions.WorkerExecutable"/>):
/// each malformed, cut-off, oversized or unknown message fails exactly the affected call with a
/// <see cref="BrokenProcessPoolException"/> that says what was wrong, the worker is killed and replaced, and no future is
/// left Running.
/// </summary>
public sealed class HostileWorkerTests
{
    [Theory]
    [InlineData("oversized-header", "over the limit")]
    [InlineData("oversized-block", "JSON result claims 2,147,483,647 bytes")]
    [InlineData("unknown-kind", "unknown kind 99")]
    [InlineData("wrong-call", "for call 2 while it runs call 1")]
    [InlineData("trailing-bytes", "4 bytes after its last field")]
    [InlineData("deep-exception", "more than 8 inner exceptions")]
    public void AMalformedResponseFailsItsCallNamingTheFaultAndTheWorkerIsKilled(string mode, string named)
    {
        using var pool = FakeWorkers.Pool(mode);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        Future<int> call = pool.SubmitAdd(1, 2);

        var error = Assert.IsType<BrokenProcessPoolException>(call.GetException(Wait.Long));
        Assert.Contains("broke the pipe protocol", error.Message);
        Assert.Contains(named, error.Message);
        Assert.Contains("Jobs.Add", error.Message);
        Assert.NotNull(error.ProcessId);
        Wait.Until(() => Wait.HasExited(error.ProcessId!.Value), "the pool kills the worker that broke the protocol");
        Assert.False(pool.IsBroken); // the pool replaces it and goes on
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, 0, 64 << 20); // a 1 GiB claim allocated nothing like it

        pool.Shutdown(wait: true, cancelFutures: true);
    }

    [Fact]
    public void AWorkerThatDiesMidMessageFailsItsCallWithItsExitCode()
    {
        using var pool = FakeWorkers.Pool("truncated-then-exit");
        var error = Assert.IsType<BrokenProcessPoolException>(pool.SubmitAdd(1, 2).GetException(Wait.Long));
        Assert.Equal(5, error.ExitCode);
        Assert.Contains("died with exit code 5", error.Message);
        Assert.Contains("its last message was cut off", error.Message);
    }

    [Fact]
    public void AWorkerThatClosesItsPipeMidMessageButLivesOnIsKilled()
    {
        using var pool = FakeWorkers.Pool("truncated-then-hang");
        var error = Assert.IsType<BrokenProcessPoolException>(pool.SubmitAdd(1, 2).GetException(Wait.Long));
        Assert.Contains("the pipe ended inside a frame", error.Message);
        Assert.Contains("did not exit", error.Message);
        Wait.Until(() => Wait.HasExited(error.ProcessId!.Value), "the pool kills the worker");
    }

    [Fact]
    public void SubmitNeverWaitsForAWorkerThatDoesNotRead()
    {
        // Neither the Hello nor the call is ever read; the call's arguments are far larger than a pipe holds.
        using var pool = FakeWorkers.Pool("never-read", options => options.WorkerStartTimeout = TimeSpan.FromMinutes(10));
        string large = new('x', 1_000_000);
        Future<string?> call = pool.SubmitEcho(large); // returns: the write waits on the sender's own thread
        Future<string?> second = pool.SubmitEcho(large);
        Assert.Equal(FutureState.Running, call.State);
        Assert.Equal(FutureState.Pending, second.State);

        pool.Shutdown(wait: true, cancelFutures: true);
        Assert.Equal(FutureState.Cancelled, call.State);
        Assert.Equal(FutureState.Cancelled, second.State);
    }

    [Fact]
    public void AWorkerThatNeverStartsServingBreaksThePoolWhenItsStartTimeoutPasses()
    {
        using var pool = FakeWorkers.Pool("never-read", options => options.WorkerStartTimeout = TimeSpan.FromSeconds(1));
        var error = Assert.IsType<BrokenProcessPoolException>(pool.SubmitAdd(1, 2).GetException(Wait.Long));
        Assert.Contains("did not start serving within", error.Message);
        Assert.True(pool.IsBroken);
        Assert.Throws<BrokenProcessPoolException>(() => pool.SubmitAdd(1, 2));
    }
}

/// <summary>Pools of tests/FakeWorker processes.</summary>
internal static class FakeWorkers
{
    public static ProcessPoolExecutor Pool(string mode, Action<ProcessPoolOptions>? configure = null)
    {
        var options = new ProcessPoolOptions { MaxWorkers = 1, Name = $"fake-{mode}", WorkerExecutable = "/bin/sh" };

        // Pipelines' startup hook would make the fake a real worker: the shell drops it from the environment first.
        options.WorkerArguments.Add("-c");
        options.WorkerArguments.Add("unset DOTNET_STARTUP_HOOKS; exec \"$0\" \"$1\"");
        options.WorkerArguments.Add(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "FakeWorker.exe" : "FakeWorker"));
        options.WorkerArguments.Add(mode);
        configure?.Invoke(options);
        return new ProcessPoolExecutor(options);
    }
}
