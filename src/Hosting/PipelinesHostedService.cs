using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipelines.Diagnostics;

namespace Pipelines.Hosting;

/// <summary>
/// Ties the executors to the host's life. On start: makes the configured executors (so a bad configuration fails the
/// start, not the first call), starts logging unobserved failures, and looks for telemetry listeners the host set up.
/// On stop — after every other hosted service has stopped (<see cref="IHostedLifecycleService.StoppedAsync"/>), so work
/// they submit while stopping still runs — shuts every executor down and waits for its accepted work; if the host's
/// shutdown timeout fires first, cancels what has not started, signals the running calls' tokens, and returns.
/// </summary>
internal sealed class PipelinesHostedService(PipelinesExecutors executors, PipelinesOptions options, ILogger logger) : IHostedLifecycleService, IDisposable
{
    private int _listening;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.LogUnobservedExceptions && Interlocked.Exchange(ref _listening, 1) == 0)
        {
            Future.UnobservedException += OnUnobservedException;
            Future.UnobservedCallbackException += OnUnobservedCallbackException;
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = executors.Default;
        foreach (string name in executors.Names)
        {
            _ = executors.Get(name);
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // OpenTelemetry's providers are built by the host as it starts: trace and count from the first call on.
        PipelinesTelemetry.Refresh();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(executors.TakeAll().Select(e => ShutdownAsync(e, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _listening, 0) == 1)
        {
            Future.UnobservedException -= OnUnobservedException;
            Future.UnobservedCallbackException -= OnUnobservedCallbackException;
        }
    }

    private async Task ShutdownAsync(Executor executor, CancellationToken timeout)
    {
        if (executor.IsBroken)
        {
            Log.ExecutorBroken(logger, executor.Name, "its work failed with BrokenExecutorException");
        }

        long start = Stopwatch.GetTimestamp();
        Task drained = executor.ShutdownAsync(cancelFutures: false);
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (timeout.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), timedOut))
        {
            if (await Task.WhenAny(drained, timedOut.Task).ConfigureAwait(false) == drained)
            {
                await drained.ConfigureAwait(false);
                Log.ExecutorStopped(logger, executor.Name, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                return;
            }
        }

        Log.ExecutorShutdownTimedOut(logger, executor.Name);
        executor.Shutdown(wait: false, cancelFutures: true);
        _ = drained.ContinueWith(
            _ => Log.ExecutorStoppedAfterCancel(logger, executor.Name, Stopwatch.GetElapsedTime(start).TotalMilliseconds),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnUnobservedException(object? sender, UnobservedFutureExceptionEventArgs e) =>
        Log.UnobservedException(logger, e.Future, e.Exception);

    private void OnUnobservedCallbackException(object? sender, FutureCallbackExceptionEventArgs e) =>
        Log.UnobservedCallbackException(logger, PipelinesExecutors.Describe(e.Future), e.Exception);
}
