using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// Runs submitted calls and hands back futures (Python's <c>Executor</c>). Generated <c>Submit…</c> stubs are
/// extension methods on this interface; <c>Map</c>/<c>MapAsync</c> are in <see cref="ExecutorExtensions"/>.
/// </summary>
public interface IExecutor : IDisposable, IAsyncDisposable
{
    /// <summary>Schedules <paramref name="function"/> and returns a future of its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future<T> Submit<T>(Func<T> function);

    /// <summary>Schedules <paramref name="function"/>, passing a token that fires on <see cref="Future.Cancel"/> or a cancelling shutdown.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future<T> Submit<T>(Func<CancellationToken, T> function);

    /// <summary>Schedules an asynchronous <paramref name="function"/>; the future completes when its task does.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future<T> Submit<T>(Func<CancellationToken, Task<T>> function);

    /// <summary>Schedules <paramref name="action"/> and returns a future that completes when it has run.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future Submit(Action action);

    /// <summary>
    /// Stops accepting work (Python's <c>shutdown</c>). Later submits throw <see cref="ExecutorShutdownException"/>.
    /// Work already accepted — including calls still waiting for argument futures — runs to completion.
    /// </summary>
    /// <param name="wait">Block until all accepted work is done and the workers have exited.</param>
    /// <param name="cancelFutures">Cancel every accepted call that has not started, and signal running calls' tokens.</param>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from one of the executor's own workers, which would wait for itself.</exception>
    void Shutdown(bool wait = true, bool cancelFutures = false);

    /// <summary>Stops accepting work and completes when all accepted work is done, without blocking a thread.</summary>
    /// <param name="cancelFutures">Cancel every accepted call that has not started, and signal running calls' tokens.</param>
    Task ShutdownAsync(bool cancelFutures = false);
}
