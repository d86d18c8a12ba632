using System;
using System.Linq;
using System.Threading;
using Pipelines.Scheduling;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// How a thread pool orders ready calls: a call made ready by a completion — on another thread, a timer, another
/// executor — runs before root calls that have not started (depth first: results early, intermediates short-lived),
/// and roots still get their turn under a steady stream of such calls. Each test holds the pool's only worker while
/// it queues, so the order the worker then takes is the pool's decision alone.
/// </summary>
public class SchedulingOrderTests
{
    [Fact]
    public void ACallMadeReadyByACompletionOnAnotherThreadRunsBeforeQueuedRoots()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var other = new ThreadPoolExecutor(maxWorkers: 1);
        var order = new RunOrder();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<bool> hold = pool.SubmitHold(held, release);
        Wait.For(held, "the pool's worker to be held");

        Future<string>[] roots = Enumerable.Range(0, 10).Select(i => pool.SubmitRecord(order, $"root{i}")).ToArray();
        using var inputReleased = new ManualResetEventSlim();
        using var inputHeld = new ManualResetEventSlim();
        Future<bool> input = other.SubmitHold(inputHeld, inputReleased);
        Future<string> dependent = pool.SubmitRecordAfter(order, input.Then(_ => "input"), "dependent");

        inputReleased.Set(); // the input completes on the other pool's worker: the dependent becomes ready there
        Wait.Until(() => pool.QueuedCount == 11, "the dependent to be queued beside the ten roots");
        release.Set();

        Assert.True(Futures.Wait(roots.Append(dependent).Append<Future>(hold).ToArray(), timeout: Wait.Long).NotDone.Count == 0);
        Assert.Equal(["dependent", .. Enumerable.Range(0, 10).Select(i => $"root{i}")], order.Names);
    }

    [Fact]
    public void ARetryWhoseBackoffHasPassedRunsBeforeQueuedRoots()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        var order = new RunOrder();
        var runs = new RunCounter();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // The flaky call runs first and fails; its retry waits out its backoff while the worker is held.
        Future<string> flaky = pool.SubmitFailOnceThenRecord(order, runs, "retry");
        Future<bool> hold = pool.SubmitHold(held, release);
        Wait.For(held, "the pool's worker to be held");
        Assert.Equal(1, runs.Count);

        Future<string>[] roots = Enumerable.Range(0, 10).Select(i => pool.SubmitRecord(order, $"root{i}")).ToArray();
        Wait.Until(() => pool.QueuedCount == 11, "the retry to be queued again beside the ten roots");
        release.Set();

        Assert.True(Futures.Wait(roots.Append(flaky).Append<Future>(hold).ToArray(), timeout: Wait.Long).NotDone.Count == 0);
        Assert.Equal(["retry", .. Enumerable.Range(0, 10).Select(i => $"root{i}")], order.Names);
    }

    [Fact]
    public void RootsStillRunUnderASteadyStreamOfCallsMadeReadyByCompletions()
    {
        const int Continuations = 500;
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var other = new ThreadPoolExecutor(maxWorkers: 1);
        var order = new RunOrder();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<bool> hold = pool.SubmitHold(held, release);
        Wait.For(held, "the pool's worker to be held");

        // Far more continuations than the roots' turn: without it, both roots would run last.
        using var inputReleased = new ManualResetEventSlim();
        using var inputHeld = new ManualResetEventSlim();
        Future<string> input = other.SubmitHold(inputHeld, inputReleased).Then(_ => "");
        Future<string>[] continuations = Enumerable.Range(0, Continuations)
            .Select(i => pool.SubmitRecordAfter(order, input, $"continuation{i}"))
            .ToArray();
        Future<string>[] roots = [pool.SubmitRecord(order, "root0"), pool.SubmitRecord(order, "root1")];
        inputReleased.Set();
        Wait.Until(() => pool.QueuedCount == Continuations + 2, "every continuation to be queued beside the roots");
        release.Set();

        Assert.True(Futures.Wait(continuations.Concat(roots).Append<Future>(hold).ToArray(), timeout: Wait.Long).NotDone.Count == 0);
        string[] names = order.Names;
        int first = Array.IndexOf(names, "root0"), second = Array.IndexOf(names, "root1");
        Assert.InRange(first, 1, SharedWork.RootTurn - 1);
        Assert.InRange(second - first, 1, SharedWork.RootTurn);
        Assert.Equal(Continuations + 2, names.Length);
    }
}
