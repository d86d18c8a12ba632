using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests.Observability;

/// <summary>Futures.Progress: done / faulted / cancelled / total as they change, as IProgress and IAsyncEnumerable.</summary>
public class ProgressTests
{
    [Fact]
    public void ReportsEachOutcomeToAnIProgressEndingWithTheCompleteOne()
    {
        var promises = Enumerable.Range(0, 4).Select(_ => new Promise<int>()).ToArray();
        var reports = new ConcurrentQueue<PipelineProgress>();
        using var complete = new ManualResetEventSlim();
        var progress = new CallbackProgress(p =>
        {
            reports.Enqueue(p);
            if (p.IsComplete)
            {
                complete.Set();
            }
        });
        var cancelled = new Promise<int>();
        Future<int> neverRuns = new DemoStubs.AddCall(new InlineExecutor(), v => v[0], cancelled.Future);

        ProgressTracker tracker = Futures.Progress(promises.Select(p => p.Future).Append(Future.FromResult(9)).Append(neverRuns), progress);
        Assert.Equal(new PipelineProgress(6, 1, 0, 0), tracker.Current);
        promises[0].SetResult(1);
        promises[1].SetException(new InvalidOperationException("no"));
        Assert.True(neverRuns.Cancel());
        promises[2].SetResult(3);
        promises[3].SetResult(4);

        Wait.For(complete, "the complete report");
        Assert.Equal(new PipelineProgress(6, 4, 1, 1), reports.Last());
        Assert.True(reports.Last().IsComplete);
        Assert.Equal(6, reports.Last().Done);
        Assert.Equal(0, reports.Last().Remaining);
        Assert.Single(reports, r => r.IsComplete);
        PipelineProgress[] all = reports.ToArray();
        for (int i = 1; i < all.Length; i++)
        {
            Assert.True(all[i].Done > all[i - 1].Done, $"report {i} did not move forward: {all[i - 1]} then {all[i]}");
        }

        Assert.True(tracker.Completion.Wait(Wait.Long));
        cancelled.SetResult(0);
    }

    [Fact]
    public async Task YieldsTheCurrentProgressThenEachChangeUntilComplete()
    {
        var promises = Enumerable.Range(0, 3).Select(_ => new Promise<int>()).ToArray();
        ProgressTracker tracker = Futures.Progress(promises.Select(p => p.Future));
        var seen = new List<PipelineProgress>();
        await using IAsyncEnumerator<PipelineProgress> reader = tracker.GetAsyncEnumerator();

        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(new PipelineProgress(3, 0, 0, 0), reader.Current);
        Task<bool> next = reader.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        promises[0].SetResult(1);
        Assert.True(await next.WaitAsync(Wait.Long));
        Assert.Equal(new PipelineProgress(3, 1, 0, 0), reader.Current);

        promises[1].SetException(new FormatException());
        promises[2].SetResult(3);
        while (await reader.MoveNextAsync().AsTask().WaitAsync(Wait.Long))
        {
            seen.Add(reader.Current);
        }

        Assert.Equal(new PipelineProgress(3, 2, 1, 0), seen.Last());
        Assert.Equal(seen.OrderBy(p => p.Done), seen);
    }

    [Fact]
    public async Task DuplicatesCountOnceAndNothingToWatchIsCompleteAtOnce()
    {
        Future<int> one = Future.FromResult(1);
        Assert.Equal(new PipelineProgress(1, 1, 0, 0), Futures.Progress(new[] { one, one }).Current);

        var empty = new List<PipelineProgress>();
        await foreach (PipelineProgress p in Futures.Progress(Array.Empty<Future>()))
        {
            empty.Add(p);
        }

        Assert.Equal(new[] { new PipelineProgress(0, 0, 0, 0) }, empty);
        Assert.Equal(1.0, empty[0].Fraction);
        Assert.Equal("0/0 done (0 succeeded, 0 faulted, 0 cancelled)", empty[0].ToString());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("futures", Assert.Throws<ArgumentNullException>(() => Futures.Progress(null!)).ParamName);
        Assert.Equal("futures", Assert.Throws<ArgumentNullException>(() => Futures.Progress(new Future[] { null! })).ParamName);
    }

    [Fact]
    public async Task StoppingTheEnumerationLeavesTheFuturesAlone()
    {
        var promise = new Promise<int>();
        using var stop = new CancellationTokenSource();
        IAsyncEnumerator<PipelineProgress> reader = Futures.Progress(new[] { promise.Future }).GetAsyncEnumerator(stop.Token);
        Assert.True(await reader.MoveNextAsync());
        ValueTask<bool> waiting = reader.MoveNextAsync();
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.False(promise.Future.IsDone);
        promise.SetResult(1);
    }

    /// <summary>An IProgress that calls back on the reporting thread (Progress&lt;T&gt; would post to a context).</summary>
    private sealed class CallbackProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
