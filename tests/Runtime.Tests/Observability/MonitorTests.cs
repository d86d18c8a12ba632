using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Pipelines.Diagnostics;
using Xunit;

namespace Pipelines.Tests.Observability;

/// <summary>The jobs the monitor tests watch: a page's load, parse and report, a merge over pages, a call held at a gate.</summary>
public static partial class MonitorJobs
{
    [Submittable]
    public static int Load(string page) => page.StartsWith("bad", StringComparison.Ordinal) ? throw new FormatException($"{page} is corrupt") : page.Length;

    [Submittable]
    public static int Parse(int length) => length * 2;

    [Submittable]
    public static int Report(int value) => value;

    [Submittable]
    public static int Merge(int[] values) => values.Sum();

    [Submittable]
    public static int Hold(string name, ManualResetEventSlim release) => release.Wait(Wait.Long) ? name.Length : throw new TimeoutException("never released");
}

/// <summary>
/// PipelineMonitor: what the dashboard reads. A monitor is process-wide (it counts every call of the process), so these
/// tests run alone.
/// </summary>
[Collection(nameof(ProcessWide))]
public class MonitorTests
{
    [Fact]
    public void CountsEachMethodsCallsByOutcomeAndTheEdgesBetweenMethods()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "monitor-counts");
        var parses = Enumerable.Range(0, 300).Select(i => pool.SubmitParse(pool.SubmitLoad(i == 7 ? "bad-7" : $"page-{i}"))).ToList();
        var gate = new Promise<int>();
        Future<int> cancelled = pool.SubmitReport(gate.Future);
        Assert.True(cancelled.Cancel());
        Assert.Equal(3, pool.SubmitReport(Future.FromResult(3)).GetResult(Wait.Long));
        Assert.Empty(Futures.Wait(parses, ReturnWhen.AllCompleted, Wait.Long).NotDone);
        gate.SetResult(0);

        // A call that ran is counted by its worker a moment after its future completed: wait for the counts to settle.
        PipelineMonitorSnapshot snapshot = monitor.Snapshot();
        Wait.Until(
            () => (snapshot = monitor.Snapshot()).Methods.Where(m => m.QualifiedName is "MonitorJobs.Load" or "MonitorJobs.Parse" or "MonitorJobs.Report")
                .Sum(m => m.Succeeded + m.Faulted + m.Cancelled) == 602,
            "every call counted as finished");
        MonitoredMethod load = snapshot.Methods.Single(m => m.QualifiedName == "MonitorJobs.Load");
        Assert.Equal((300, 299, 1, 0, 0, 0, 0), (load.Submitted, load.Succeeded, load.Faulted, load.FaultedWithoutRunning, load.Cancelled, load.Queued, load.Running));
        MonitoredMethod parse = snapshot.Methods.Single(m => m.QualifiedName == "MonitorJobs.Parse");
        Assert.Equal((300, 299, 1, 1), (parse.Submitted, parse.Succeeded, parse.Faulted, parse.FaultedWithoutRunning));
        MonitoredMethod report = snapshot.Methods.Single(m => m.QualifiedName == "MonitorJobs.Report");
        Assert.Equal((2, 1, 1, 0), (report.Submitted, report.Succeeded, report.Cancelled, report.Queued));
        Assert.Equal(300, snapshot.Edges.Single(e => e.From == "MonitorJobs.Load" && e.To == "MonitorJobs.Parse").Count);
        Assert.Equal(1, snapshot.Edges.Single(e => e.From == "Future" && e.To == "MonitorJobs.Report").Count); // Future.FromResult: no call
        Assert.Equal(1, snapshot.Edges.Single(e => e.From.StartsWith("lambda in", StringComparison.Ordinal) && e.To == "MonitorJobs.Report").Count); // the promise's async lambda

        MonitoredFailure failure = Assert.Single(snapshot.Failures);
        Assert.Equal(("Load", "bad-7", "FormatException", "bad-7 is corrupt", true), (failure.Method, failure.Label, failure.ExceptionType, failure.Message, failure.Threw));
        Assert.Equal(1, failure.TookDown["Parse"]);
        Assert.Equal(new[] { "bad-7" }, failure.TookDownLabels); // the label flowed from Load to the Parse it took down
        Assert.Contains(snapshot.Executors, e => e.Name == "monitor-counts" && e.Kind == "ThreadPoolExecutor" && e.MaxWorkers == 2);
    }

    [Fact]
    public void ACollectionOfFuturesIsDrawnAsEdgesFromItsElementsIntoTheCallThatTakesIt()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var inline = new InlineExecutor("monitor-gather");
        Future<int>[] loads = Enumerable.Range(0, 5).Select(i => inline.SubmitLoad($"p{i}")).ToArray();
        Assert.Equal(10, inline.SubmitMerge(loads).GetResult(Wait.Long));
        Assert.Equal(20, inline.SubmitMerge(Futures.All(loads.Select(l => inline.SubmitParse(l)))).GetResult(Wait.Long));

        PipelineMonitorSnapshot snapshot = monitor.Snapshot();
        Assert.DoesNotContain(snapshot.Methods, m => m.Name is "All" or "Gather");
        Assert.Equal(5, snapshot.Edges.Single(e => e.From == "MonitorJobs.Load" && e.To == "MonitorJobs.Merge").Count);
        Assert.Equal(5, snapshot.Edges.Single(e => e.From == "MonitorJobs.Parse" && e.To == "MonitorJobs.Merge").Count);
    }

    [Fact]
    public void AStuckCallShowsWhatItIsWaitingFor()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "monitor-stuck");
        using var release = new ManualResetEventSlim();
        Future<int> held = pool.SubmitHold("held", release);
        Future<int> stuck = pool.SubmitReport(pool.SubmitParse(held));

        MonitoredCall call = Assert.Single(monitor.Calls("Report"));
        Assert.Equal((FutureState.Pending, "held", "monitor-stuck"), (call.State, call.Label, call.Executor));
        MonitoredCall parse = Assert.Single(call.WaitingFor);
        Assert.Equal(("Parse", FutureState.Pending, "held"), (parse.Method, parse.State, parse.Label));
        MonitoredCall hold = Assert.Single(parse.WaitingFor);
        Assert.Equal("Hold", hold.Method);
        Assert.NotEqual(FutureState.Succeeded, hold.State); // queued or running: either way, what holds the others up

        release.Set();
        Assert.Equal(8, stuck.GetResult(Wait.Long));
        Assert.Equal(FutureState.Succeeded, Assert.Single(monitor.Calls("MonitorJobs.Report")).State);
    }

    [Fact]
    public void ALongCallGetsATaskStreamBarOfItsOwnWhileItRuns()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ThreadPoolExecutor(1, threadNamePrefix: "monitor-stream");
        using var release = new ManualResetEventSlim();
        Future<int> slow = pool.SubmitHold("slow", release);

        TaskStreamBar? bar = null;
        long version = 0;
        Wait.Until(() =>
        {
            PipelineMonitorSnapshot snapshot = monitor.Snapshot(version);
            version = snapshot.TaskStreamVersion;
            bar = snapshot.TaskStream.LastOrDefault(b => b.Method == "Hold" && b.IsRunning) ?? bar;
            return bar is not null && snapshot.Methods.Any(m => m.Name == "Hold" && m.Running == 1);
        }, "a running bar for the slow call");
        Assert.Equal(("monitor-stream_0", "slow"), (bar!.Lane, bar.Label));
        Assert.True(bar.End > bar.Start);

        release.Set();
        Assert.Equal(4, slow.GetResult(Wait.Long));
        Wait.Until(() => monitor.Snapshot().TaskStream.Any(b => b.Id == bar.Id && !b.IsRunning && b.Calls == 1), "the bar to end with the call");
    }

    [Fact]
    public void NothingIsRecordedWhileNoMonitorIsOpenAndANewSessionCountsFromZero()
    {
        using var inline = new InlineExecutor("monitor-session");
        using (PipelineMonitor first = PipelineMonitor.Start())
        {
            Assert.Equal(1, inline.SubmitLoad("a").GetResult());
            Assert.Equal(1, first.Snapshot().Methods.Single(m => m.QualifiedName == "MonitorJobs.Load").Submitted);
        }

        Telemetry.Refresh();
        Assert.False(Telemetry.IsEnabled);
        Assert.Equal(1, inline.SubmitLoad("b").GetResult());

        using PipelineMonitor second = PipelineMonitor.Start();
        Assert.DoesNotContain(second.Snapshot().Methods, m => m.QualifiedName == "MonitorJobs.Load");
        Assert.Equal(1, inline.SubmitLoad("c").GetResult());
        PipelineMonitorSnapshot snapshot = second.Snapshot();
        Assert.Equal(1, snapshot.Methods.Single(m => m.QualifiedName == "MonitorJobs.Load").Submitted);
        Assert.Contains(snapshot.Executors, e => e.Name == "monitor-session"); // seen in the first session, still known
        second.Dispose();
        Assert.Throws<ObjectDisposedException>(() => second.Snapshot());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        Assert.Equal("method", Assert.Throws<ArgumentNullException>(() => monitor.Calls(null!)).ParamName);
        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Calls("x", 0)).ParamName);
        Assert.Equal("taskStreamSince", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Snapshot(-1)).ParamName);
    }
}
