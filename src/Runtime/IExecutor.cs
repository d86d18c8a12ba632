using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// Runs submitted calls and hands back futures (Python's <c>Executor</c>). Generated <c>Submit…</c> stubs are
/// extension methods on this interface; <c>Map</c>/<c>MapAsync</c> are in <see cref="ExecutorExtensions"/>.
/// </summary>
/// <remarks>
/// An async lambda binds to an async overload (<c>Submit(async () =&gt; …)</c> is a <see cref="Future{T}"/> of the
/// awaited result, never a future of a task), as with <see cref="Task.Run(Func{Task})"/>. There are no
/// <see cref="ValueTask"/> overloads, as there are none on <c>Task.Run</c>: with C# 12 and earlier every async lambda
/// would match both and fail to compile (CS0121). Submit a <see cref="ValueTask"/> method as
/// <c>Submit(async ct =&gt; await M(ct))</c>, or mark it [Submittable]. Every Submit throws
/// <see cref="ArgumentNullException"/> for a null delegate, <see cref="ExecutorShutdownException"/> after shutdown,
/// and <see cref="BrokenExecutorException"/> once the executor is broken.
/// <para>
/// Pipelines' executors (the classes derived from <see cref="Executor"/>) and the views
/// <see cref="ExecutorExtensions.WithCancellation"/> returns implement it; it is not for implementing outside Pipelines.
/// Generated stubs and <see cref="ExecutorExtensions.WithCancellation"/> hand their calls to the executor's own
/// scheduling, which another implementation does not have, and throw <see cref="ArgumentException"/> for one. To run
/// calls on a scheduler of your own, use <see cref="TaskSchedulerExecutor"/>.
/// </para>
/// </remarks>
public interface IExecutor : IDisposable, IAsyncDisposable
{
    /// <summary>Schedules <paramref name="function"/> and returns a future of its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future<T> Submit<T>(Func<T> function);

    /// <summary>Schedules <paramref name="function"/>, passing a token that fires on <see cref="Future.Cancel"/> or a cancelling shutdown.</summary>
    /// <inheritdoc cref="Submit{T}(Func{T})"/>
    Future<T> Submit<T>(Func<CancellationToken, T> function);

    /// <summary>Schedules an asynchronous <paramref name="function"/>; the future completes with the awaited result.</summary>
    /// <inheritdoc cref="Submit{T}(Func{T})"/>
    Future<T> Submit<T>(Func<Task<T>> function);

    /// <summary>Schedules an asynchronous <paramref name="function"/> that gets the call's cancellation token; the future completes with the awaited result.</summary>
    /// <inheritdoc cref="Submit{T}(Func{T})"/>
    Future<T> Submit<T>(Func<CancellationToken, Task<T>> function);

    /// <summary>Schedules <paramref name="action"/> and returns a future that completes when it has run.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    Future Submit(Action action);

    /// <summary>Schedules an asynchronous <paramref name="function"/>; the future completes when its task does.</summary>
    /// <inheritdoc cref="Submit{T}(Func{T})"/>
    Future Submit(Func<Task> function);

    /// <summary>Schedules an asynchronous <paramref name="function"/> that gets the call's cancellation token; the future completes when its task does.</summary>
    /// <inheritdoc cref="Submit{T}(Func{T})"/>
    Future Submit(Func<CancellationToken, Task> function);

    /// <summary>
    /// Stops accepting work (Python's <c>shutdown</c>). Later submits throw <see cref="ExecutorShutdownException"/>.
    /// Work already accepted — including calls still waiting for argument futures — runs to completion.
    /// </summary>
    /// <remarks>
    /// Called from inside the executor's own work (a call, a done-callback, an inline continuation) with
    /// <paramref name="wait"/>, it never throws and never hangs: it waits for every accepted call except the caller's
    /// own (and those waiting on it), helping to run them meanwhile, and returns; the executor then finishes once the
    /// caller's call does.
    /// </remarks>
    /// <param name="wait">Block until all accepted work is done and the workers have exited.</param>
    /// <param name="cancelFutures">Cancel every accepted call that has not started, and signal running calls' tokens.</param>
    void Shutdown(bool wait = true, bool cancelFutures = false);

    /// <summary>Stops accepting work and completes when all accepted work is done, without blocking a thread.
    /// From inside the executor's own work it completes once everything but the caller's own call is done.</summary>
    /// <param name="cancelFutures">Cancel every accepted call that has not started, and signal running calls' tokens.</param>
    Task ShutdownAsync(bool cancelFutures = false);
}
