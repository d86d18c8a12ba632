using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Pipelines.Hosting.Tests;

/// <summary>The executors live and die with the host: accepted work finishes, or is cancelled at the shutdown timeout; it is all logged.</summary>
public class LifecycleTests
{
    [Fact]
    public async Task StoppingTheHostFinishesAcceptedWorkFirst()
    {
        var logs = new LogRecorder();
        HostApplicationBuilder builder = TestHost.Builder(logs: logs);
        builder.Services.AddPipelines(o => o.AddThreadPool("work", maxWorkers: 1));
        using IHost host = builder.Build();
        await host.StartAsync();
        IExecutor work = host.Services.GetRequiredKeyedService<IExecutor>("work");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<int> running = work.Submit(() =>
        {
            started.Set();
            Wait.For(release, "the test to release the call");
            return 1;
        });
        Future<int> queued = work.Submit(() => 2);
        Wait.For(started, "the first call to start");

        Task stopping = host.StopAsync();
        Wait.Until(() => ((Executor)work).IsShutdown, "the executor to be shut down");
        Assert.False(stopping.IsCompleted);
        release.Set();
        await stopping.WaitAsync(Wait.Long);

        Assert.Equal(1, running.GetResult());
        Assert.Equal(2, queued.GetResult());
        Assert.Contains(logs.WithEventId(1), e => e.Message.Contains("'work'", StringComparison.Ordinal) && e.Message.Contains("max workers 1", StringComparison.Ordinal));
        Assert.Single(logs.WithEventId(2), e => e.Message.Contains("'work'", StringComparison.Ordinal));
        Assert.Empty(logs.WithEventId(3));
    }

    [Fact]
    public async Task AtTheShutdownTimeoutWhatIsLeftIsCancelled()
    {
        var logs = new LogRecorder();
        HostApplicationBuilder builder = TestHost.Builder(logs: logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        builder.Services.AddPipelines(o => o.AddThreadPool("slow", maxWorkers: 1));
        using IHost host = builder.Build();
        await host.StartAsync();
        IExecutor slow = host.Services.GetRequiredKeyedService<IExecutor>("slow");
        using var started = new ManualResetEventSlim();
        Future<int> running = slow.Submit(ct =>
        {
            started.Set();
            ct.WaitHandle.WaitOne(Wait.Long); // honours its token: ends once the host gives up waiting
            ct.ThrowIfCancellationRequested();
            return 1;
        });
        Future<int> queued = slow.Submit(() => 2);
        Wait.For(started, "the first call to start");

        await host.StopAsync().WaitAsync(Wait.Long);
        Assert.True(running.Wait(Wait.Long));
        Assert.True(running.IsCancelled);
        Assert.True(queued.IsCancelled);
        Assert.Single(logs.WithEventId(3), e => e.Level == LogLevel.Warning && e.Message.Contains("'slow'", StringComparison.Ordinal));
        Wait.Until(() => logs.WithEventId(4).Count == 1, "the executor reports it finished after the cancel");
    }

    [Fact]
    public async Task ThrowingCallbacksAndUnobservedFailuresAreLogged()
    {
        var logs = new LogRecorder();
        HostApplicationBuilder builder = TestHost.Builder(logs: logs);
        builder.Services.AddPipelines();
        using IHost host = builder.Build();
        await host.StartAsync();
        IExecutor executor = host.Services.GetRequiredService<IExecutor>();

        // A hosted executor's throwing callback: its CallbackFaulted handler logs it.
        Future<int> done = executor.Submit(() => 1);
        done.Wait(Wait.Long);
        done.OnDone(_ => throw new InvalidOperationException("callback on a hosted executor"));
        LogEntry hosted = Assert.Single(logs.WithEventId(10));
        Assert.Equal("callback on a hosted executor", hosted.Exception?.Message);
        Assert.Contains("'default'", hosted.Message, StringComparison.Ordinal);

        // Another executor's, with no handler of its own: Future.UnobservedCallbackException.
        using var other = new InlineExecutor("not-hosted");
        other.Submit(() => 1).OnDone(_ => throw new InvalidOperationException("callback elsewhere"));
        Assert.Equal("callback elsewhere", Assert.Single(logs.WithEventId(11)).Exception?.Message);

        // A faulted future nobody looked at, collected.
        string tag = Guid.NewGuid().ToString("N");
        DropFaulted(other, tag);
        Wait.Until(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return logs.WithEventId(12).Any(e => e.Exception?.Message == tag);
            },
            "the unobserved failure is logged");

        await host.StopAsync();
        int before = logs.WithEventId(11).Count;
        other.Submit(() => 1).OnDone(_ => throw new InvalidOperationException("after the host stopped"));
        Assert.Equal(before, logs.WithEventId(11).Count); // the host stopped listening
    }

    [Fact]
    public async Task WithLogUnobservedExceptionsOffUnobservedFailuresAreLeftToTheirOwnHandlers()
    {
        var logs = new LogRecorder();
        HostApplicationBuilder builder = TestHost.Builder(logs: logs);
        builder.Services.AddPipelines(o => o.LogUnobservedExceptions = false);
        using IHost host = builder.Build();
        await host.StartAsync();

        // Handlers run in the order they were added: had the host added one at start, it would have logged before this
        // one sees the failure.
        string tag = Guid.NewGuid().ToString("N");
        using var seen = new ManualResetEventSlim();
        EventHandler<UnobservedFutureExceptionEventArgs> handler = (_, e) =>
        {
            if (e.Exception.Message == tag)
            {
                seen.Set();
            }
        };
        Future.UnobservedException += handler;
        try
        {
            using var other = new InlineExecutor("not-hosted");
            DropFaulted(other, tag);
            Wait.Until(
                () =>
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    return seen.IsSet;
                },
                "the application's own handler sees the unobserved failure");
            Assert.Empty(logs.WithEventId(12));
        }
        finally
        {
            Future.UnobservedException -= handler;
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task NothingIsHandedOutAfterTheHostStopped()
    {
        HostApplicationBuilder builder = TestHost.Builder();
        builder.Services.AddPipelines(o => o.AddThreadPool("late"));
        using IHost host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
        Assert.True(((Executor)host.Services.GetRequiredService<IExecutor>()).IsShutdown);
        Assert.Throws<ExecutorShutdownException>(() => host.Services.GetRequiredKeyedService<IExecutor>("late").Submit(() => 1));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropFaulted(IExecutor executor, string message) => _ = executor.Submit(new Func<int>(() => throw new InvalidOperationException(message)));
}
