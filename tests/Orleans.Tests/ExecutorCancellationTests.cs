using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>Cancellation and timeouts through the stubs: a call that has not started never runs; a running one sees its token on the silo.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ExecutorCancellationTests(SharedCluster shared)
{
    [Fact]
    public async Task ACallWaitingHereForALocalArgumentIsCancelledAndNeverRuns()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        await using var threads = new ThreadPoolExecutor(maxWorkers: 1);
        string gate = $"local-{Guid.NewGuid():N}";
        string key = $"never-{Guid.NewGuid():N}";
        Future<int> local = threads.SubmitGated(gate, 1);
        Future<int> dependent = executor.SubmitCountRun(key, local);

        Assert.Equal(FutureState.Pending, dependent.State);
        Assert.True(dependent.Cancel()); // it never started: Cancel says so, as on a thread pool
        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(1, await Wait.Bounded(local.AsTask(), "the local argument"));
        Assert.True(dependent.IsCancelled);
        Assert.Equal(0, executor.GetStatistics().CallsSent);
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task ACallWaitingOnItsSiloForAnArgumentIsCancelledThereAndNeverRuns()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string gate = $"upstream-{Guid.NewGuid():N}";
        string key = $"pending-{Guid.NewGuid():N}";
        Future<int> upstream = executor.SubmitGated(gate, 7);
        Future<int> dependent = executor.SubmitCountRun(key, upstream); // sent at once: its silo waits for the value
        await Wait.Bounded(Hooks.Started(gate).Task, "the upstream call");

        Assert.False(dependent.Cancel()); // sent counts as running (as queued calls in Python's process pool)
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(dependent.AsTask(), "the cancelled dependent"));
        Assert.True(dependent.IsCancelled);

        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(7, await Wait.Bounded(upstream.AsTask(), "the upstream call"));
        Assert.Equal(0, Hooks.RunCount(key));
    }

    [Fact]
    public async Task ARunningCallHasItsTokenSignalledOnTheSilo()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string key = $"running-{Guid.NewGuid():N}";
        Future<int> running = executor.SubmitWaitForCancel(key);
        await Wait.Bounded(Hooks.Started(key).Task, "the call to start");

        Assert.False(running.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(running.AsTask(), "the cancelled call"));
        Assert.True(Hooks.Observed.ContainsKey(key), "The method did not see its token fire on the silo.");
    }

    [Fact]
    public async Task CancellingARunningUpstreamCallCancelsItsDependents()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string key = $"upstream-cancel-{Guid.NewGuid():N}";
        Future<int> upstream = executor.SubmitWaitForCancel(key);
        Future<int> dependent = upstream.ThenAdd(1);
        Future<int> further = dependent.ThenAdd(1);
        await Wait.Bounded(Hooks.Started(key).Task, "the upstream call");

        upstream.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(further.AsTask(), "the dependents"));
        Assert.True(upstream.IsCancelled);
        Assert.True(dependent.IsCancelled);
    }

    [Fact]
    public async Task TimeoutsCancelTheCallOnItsSilo()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string timed = $"timeout-{Guid.NewGuid():N}";
        Future<int> timesOut = executor.SubmitTimesOut(timed); // [Submittable(TimeoutMilliseconds = 300)]
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(timesOut.AsTask(), "the timed-out call"));
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Hooks.Observed.ContainsKey(timed), Wait.Long)), "the silo to see the timeout");

        string after = $"cancel-after-{Guid.NewGuid():N}";
        Future<int> cancelledAfter = executor.SubmitWaitForCancel(after).CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(cancelledAfter.AsTask(), "the CancelAfter call"));
        await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Hooks.Observed.ContainsKey(after), Wait.Long)), "the silo to see CancelAfter");
    }

    [Fact]
    public async Task TheExecutorsCallTimeoutIsTheCallsOwnClockAndTheShorterLimitWins()
    {
        // The executor's limit alone: the call ends Cancelled here and its silo sees its token.
        await using (var limited = new OrleansExecutor(shared.Cluster.Client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2), CallTimeout = TimeSpan.FromMilliseconds(300) }))
        {
            string key = $"call-timeout-{Guid.NewGuid():N}";
            Future<int> timesOut = limited.SubmitWaitForCancel(key);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(timesOut.AsTask(), "the call past the executor's limit"));
            Assert.True(timesOut.IsCancelled);
            await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Hooks.Observed.ContainsKey(key), Wait.Long)), "the silo to see the limit");
        }

        // A long executor limit and a method's short one: the method's wins.
        await using (var generous = new OrleansExecutor(shared.Cluster.Client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2), CallTimeout = TimeSpan.FromHours(1) }))
        {
            string key = $"method-timeout-{Guid.NewGuid():N}";
            Future<int> timesOut = generous.SubmitTimesOut(key); // [Submittable(TimeoutMilliseconds = 300)]
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.Bounded(timesOut.AsTask(), "the call past its method's limit"));
            await Wait.Bounded(Task.Run(() => SpinWait.SpinUntil(() => Hooks.Observed.ContainsKey(key), Wait.Long)), "the silo to see the limit");
        }
    }

    [Fact]
    public async Task ManyCancelsRacingTheirSendsAllEndCancelledAndNoneRuns()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        string gate = $"race-{Guid.NewGuid():N}";
        Future<int> upstream = executor.SubmitGated(gate, 1);
        var keys = new string[40];
        var dependents = new Future<int>[40];
        for (int i = 0; i < dependents.Length; i++)
        {
            keys[i] = $"race-{i}-{Guid.NewGuid():N}";
            dependents[i] = executor.SubmitCountRun(keys[i], upstream);
            dependents[i].Cancel(); // right after its send was handed to the thread pool
        }

        var (_, notDone) = await Futures.WaitAsync(dependents, ReturnWhen.AllCompleted, Wait.Long);
        Assert.Empty(notDone);
        Hooks.Gate(gate).TrySetResult();
        Assert.Equal(1, await Wait.Bounded(upstream.AsTask(), "the upstream call"));
        Assert.All(dependents, d => Assert.True(d.IsCancelled));
        Assert.All(keys, k => Assert.Equal(0, Hooks.RunCount(k)));
    }
}
