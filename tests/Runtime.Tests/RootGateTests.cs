using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// The root gate of a pool larger than the machine's cores: root calls start one per core while those running are
/// young, so CPU-bound roots do not share cores (and slow every first result); calls made ready by completions still
/// run at once on the spare workers; a root that runs long is presumed to block and lets another start.
/// </summary>
public class RootGateTests
{
    private static readonly int Cores = Environment.ProcessorCount;

    [Fact]
    public void WhileACoresWorthOfYoungRootsRunAnotherRootWaitsButACallMadeReadyByACompletionRuns()
    {
        // Roots never age here: what the test sees is the gate alone, not a clock.
        using var pool = new ThreadPoolExecutor(maxWorkers: Cores + 2) { RootYoungMilliseconds = int.MaxValue };
        using var other = new ThreadPoolExecutor(maxWorkers: 1);
        var order = new RunOrder();
        using var release = new ManualResetEventSlim();
        ManualResetEventSlim[] held = Enumerable.Range(0, Cores).Select(_ => new ManualResetEventSlim()).ToArray();
        Future<bool>[] holds = held.Select(started => pool.SubmitHold(started, release)).ToArray();
        foreach (ManualResetEventSlim started in held)
        {
            Wait.For(started, "a root to hold its core");
        }

        Future<string> root = pool.SubmitRecord(order, "root");
        try
        {
            AContinuationRunsWhileTheRootWaits(pool, other, order, root);
        }
        finally
        {
            release.Set(); // a failure must not leave the held roots waiting out their timeout
        }

        Assert.Equal("root", root.GetResult(Wait.Long));
        Assert.All(holds, hold => Assert.True(hold.GetResult(Wait.Long)));
        Assert.Equal(["continuation", "root"], order.Names);
        foreach (ManualResetEventSlim started in held)
        {
            started.Dispose();
        }
    }

    private static void AContinuationRunsWhileTheRootWaits(ThreadPoolExecutor pool, ThreadPoolExecutor other, RunOrder order, Future<string> root)
    {
        using var inputHeld = new ManualResetEventSlim();
        using var inputReleased = new ManualResetEventSlim();
        Future<string> input = other.SubmitHold(inputHeld, inputReleased).Then(_ => "input");
        Future<string> continuation = pool.SubmitRecordAfter(order, input, "continuation");
        inputReleased.Set(); // the input completes after the submit: the continuation is made ready by its completion
        Assert.Equal("inputcontinuation", continuation.GetResult(Wait.Long));

        // Every worker that is not holding a root parks: the queued root is not work any of them may start.
        Wait.Until(() => pool.IdleWorkerCount == pool.WorkerCount - Cores, "the workers beside the held roots to park");
        Assert.Equal(FutureState.Pending, root.State);
    }

    [Fact]
    public void WhileRootsWaitBehindTheGateOneSpareWorkerIsParkedForCallsMadeReadyElsewhere()
    {
        // A completion on another thread then wakes a sleeping worker, which the OS runs at once beside the held
        // roots, instead of starting a thread, which waits for a time slice of its own.
        using var pool = new ThreadPoolExecutor(maxWorkers: Cores + 2) { RootYoungMilliseconds = int.MaxValue };
        var order = new RunOrder();
        using var release = new ManualResetEventSlim();
        ManualResetEventSlim[] held = Enumerable.Range(0, Cores).Select(_ => new ManualResetEventSlim()).ToArray();
        Future<bool>[] holds = held.Select(started => pool.SubmitHold(started, release)).ToArray();
        foreach (ManualResetEventSlim started in held)
        {
            Wait.For(started, "a root to hold its core");
        }

        Future<string> root = pool.SubmitRecord(order, "root");
        try
        {
            Wait.Until(() => pool.WorkerCount == Cores + 1 && pool.IdleWorkerCount == 1, "one spare worker to park beside the held roots");
            Assert.Equal(FutureState.Pending, root.State);
        }
        finally
        {
            release.Set();
        }

        Assert.Equal("root", root.GetResult(Wait.Long));
        Assert.All(holds, hold => Assert.True(hold.GetResult(Wait.Long)));
        foreach (ManualResetEventSlim started in held)
        {
            started.Dispose();
        }
    }

    [Fact]
    public void RootsThatBlockLetMoreStartUpToMaxWorkers()
    {
        int calls = Cores + 3;
        using var pool = new ThreadPoolExecutor(maxWorkers: calls);
        using var allStarted = new CountdownEvent(calls);

        // Each call blocks until every one of them runs: only roots presumed blocked can let the last ones start.
        Future<bool>[] blocking = Enumerable.Range(0, calls)
            .Select(_ => pool.Submit(() =>
            {
                allStarted.Signal();
                return allStarted.Wait(Wait.Long);
            }))
            .ToArray();

        Assert.All(blocking, call => Assert.True(call.GetResult(Wait.Long + Wait.Long)));
        Assert.Equal(calls, pool.WorkerCount);
    }
}
