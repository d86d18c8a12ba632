using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

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
        var loads = Enumerable.Range(0, 300).Select(i => (Future<int>)new LoadCall(pool, _ => i == 7 ? throw new FormatException("bad page 7") : i)).ToList();
        var parses = loads.Select(load => (Future<int>)new ParseCall(pool, v => v[0] * 2, load)).ToList();
        var gate = new Promise<int>();
        Future<int> cancelled = new ReportCall(pool, v => v[0], gate.Future);
        Assert.True(cancelled.Cancel());
        Assert.True(Futures.Wait(parses, ReturnWhen.AllCompleted, Wait.Long).NotDone.Count == 0);
        gate.SetResult(0);

        PipelineMonitorSnapshot snapshot = monitor.Snapshot();
        MonitoredMethod load = snapshot.Methods.Single(m => m.QualifiedName == "Demo.Load");
        Assert.Equal((300, 299, 1, 0, 0, 0, 0), (load.Submitted, load.Succeeded, load.Faulted, load.FaultedWithoutRunning, load.Cancelled, load.Queued, load.Running));
        MonitoredMethod parse = snapshot.Methods.Single(m => m.QualifiedName == "Demo.Parse");
        Assert.Equal((300, 299, 1, 1), (parse.Submitted, parse.Succeeded, parse.Faulted, parse.FaultedWithoutRunning));
        MonitoredMethod report = snapshot.Methods.Single(m => m.QualifiedName == "Demo.Report");
        Assert.Equal((1, 1, 0), (report.Submitted, report.Cancelled, report.Queued));
        Assert.Equal(300, snapshot.Edges.Single(e => e.From == "Demo.Load" && e.To == "Demo.Parse").Count);

        MonitoredFailure failure = Assert.Single(snapshot.Failures);
        Assert.Equal(("Load", "FormatException", "bad page 7", true), (failure.Method, failure.ExceptionType, failure.Message, failure.Threw));
        Assert.Equal(1, failure.TookDown["Parse"]);
        Assert.Contains(snapshot.Executors, e => e.Name == "monitor-counts" && e.Kind == "ThreadPoolExecutor" && e.MaxWorkers == 2);
    }

    [Fact]
    public void AGatheringIsDrawnAsEdgesFromItsElementsIntoTheCallThatTakesIt()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var inline = new InlineExecutor("monitor-gather");
        var loads = Enumerable.Range(0, 5).Select(i => (Future<int>)new LoadCall(inline, _ => i)).ToList();
        Future<int[]> all = Futures.All(loads);
        var merged = new Call1<int[], int>(inline, all, values => values.Sum());
        Assert.Equal(10, merged.GetResult(Wait.Long));

        PipelineMonitorSnapshot snapshot = monitor.Snapshot();
        Assert.DoesNotContain(snapshot.Methods, m => m.Name is "All" or "Gather");
        MonitoredEdge edge = Assert.Single(snapshot.Edges, e => e.From == "Demo.Load");
        Assert.Equal(5, edge.Count);
        Assert.Equal(snapshot.Methods.Single(m => m.Submitted == 1 && m.QualifiedName != "Demo.Load").QualifiedName, edge.To);
    }

    [Fact]
    public void AStuckCallShowsWhatItIsWaitingFor()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ThreadPoolExecutor(2, threadNamePrefix: "monitor-stuck");
        var gate = new Promise<int>();
        Future<int> ready = new LoadCall(pool, _ => 1);
        Future<int> stuck = new MergeCall(pool, v => v.Sum(), ready, gate.Future);
        Wait.Done(ready);

        MonitoredCall call = Assert.Single(monitor.Calls("Merge"));
        Assert.Equal(FutureState.Pending, call.State);
        MonitoredCall waitingFor = Assert.Single(call.WaitingFor);
        Assert.Equal(FutureState.Running, waitingFor.State); // the promise: an async call awaiting its source
        Assert.Equal("monitor-stuck", call.Executor);

        gate.SetResult(2);
        Assert.Equal(3, stuck.GetResult(Wait.Long));
        Assert.Equal(FutureState.Succeeded, Assert.Single(monitor.Calls("Demo.Merge")).State);
    }

    [Fact]
    public void ALongCallGetsATaskStreamBarOfItsOwnWhileItRuns()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ThreadPoolExecutor(1, threadNamePrefix: "monitor-stream");
        using var release = new ManualResetEventSlim();
        Future<int> slow = new ReportCall(pool, _ => release.Wait(Wait.Long) ? 1 : 0);

        TaskStreamBar? bar = null;
        long version = 0;
        Wait.Until(() =>
        {
            PipelineMonitorSnapshot snapshot = monitor.Snapshot(version);
            version = snapshot.TaskStreamVersion;
            bar = snapshot.TaskStream.LastOrDefault(b => b.Method == "Report" && b.IsRunning) ?? bar;
            return bar is not null && snapshot.Methods.Any(m => m.Name == "Report" && m.Running == 1);
        }, "a running bar for the slow call");
        Assert.Equal("monitor-stream_0", bar!.Lane);
        Assert.True(bar.End > bar.Start);

        release.Set();
        Assert.Equal(1, slow.GetResult(Wait.Long));
        Wait.Until(() => monitor.Snapshot().TaskStream.Any(b => b.Id == bar.Id && !b.IsRunning && b.Calls == 1), "the bar to end with the call");
    }

    [Fact]
    public void NothingIsRecordedWhileNoMonitorIsOpenAndANewSessionCountsFromZero()
    {
        using (PipelineMonitor first = PipelineMonitor.Start())
        {
            using var inline = new InlineExecutor("monitor-session");
            _ = new LoadCall(inline, _ => 1).GetResult();
            Assert.Equal(1, first.Snapshot().Methods.Single(m => m.QualifiedName == "Demo.Load").Submitted);
        }

        Telemetry.Refresh();
        Assert.False(Telemetry.IsEnabled);
        using var quiet = new InlineExecutor("monitor-quiet");
        _ = new LoadCall(quiet, _ => 1).GetResult();

        using PipelineMonitor second = PipelineMonitor.Start();
        Assert.DoesNotContain(second.Snapshot().Methods, m => m.QualifiedName == "Demo.Load");
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
