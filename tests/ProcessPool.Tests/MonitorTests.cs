using System;
using System.IO;
using System.Linq;
using Pipelines.Diagnostics;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>A monitor (what the dashboard shows) sees a process pool's calls from this side: sent, running there, back.</summary>
public sealed class MonitorTests
{
    [Fact]
    public void AProcessPoolsCallsAreCountedTimedAndDrawnAsCallsInFlight()
    {
        using PipelineMonitor monitor = PipelineMonitor.Start();
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        Assert.Equal(Enumerable.Range(1, 20).Sum(), Enumerable.Range(0, 20).Select(i => pool.SubmitAdd(i, 1)).ToList().Sum(f => f.GetResult(Wait.Long)));
        Assert.IsType<InvalidOperationException>(pool.SubmitFail("boom").GetException(Wait.Long)); // rebuilt from the worker's

        string ready = Wait.NewFilePath();
        try
        {
            Future<int> blocked = pool.SubmitBlockForever(ready);
            Wait.Until(() => File.Exists(ready) && new FileInfo(ready).Length > 0, "the call runs in its worker");
            Wait.Until(() => monitor.Snapshot().Methods.Any(m => m.QualifiedName == "Jobs.BlockForever" && m.Running == 1), "the monitor to see the call running");

            PipelineMonitorSnapshot snapshot = monitor.Snapshot();
            MonitoredMethod add = snapshot.Methods.Single(m => m.QualifiedName == "Jobs.Add");
            Assert.Equal((20, 20, 0), (add.Submitted, add.Succeeded, add.Running));
            Assert.NotNull(add.MeanDuration); // timed exactly, from dispatch to result
            Assert.Equal(("Fail", "InvalidOperationException", "boom"), snapshot.Failures.Select(f => (f.Method, f.ExceptionType, f.Message)).Single());
            MonitoredExecutor executor = snapshot.Executors.Single(e => e.Name == pool.Name);
            Assert.Equal((nameof(ProcessPoolExecutor), 2, 1), (executor.Kind, executor.MaxWorkers, executor.Running));
            TaskStreamBar bar = snapshot.TaskStream.Single(b => b.IsRunning && b.Method == "BlockForever");
            Assert.StartsWith($"{pool.Name} · sent ", bar.Lane, StringComparison.Ordinal);
            Assert.EndsWith(Path.GetFileName(ready), bar.Label, StringComparison.Ordinal);
            MonitoredCall call = Assert.Single(monitor.Calls("BlockForever"));
            Assert.Equal(FutureState.Running, call.State);

            Assert.False(blocked.Cancel()); // running: the pool stops its worker
            Assert.True(blocked.Wait(Wait.Long));
            Wait.Until(() => monitor.Snapshot().Methods.Single(m => m.QualifiedName == "Jobs.BlockForever") is { Running: 0, Cancelled: 1 }, "the monitor to see the call cancelled");
            Assert.Contains(monitor.Snapshot().TaskStream, b => b.Id == bar.Id && !b.IsRunning && b.Calls == 1);
        }
        finally
        {
            File.Delete(ready);
        }
    }
}
