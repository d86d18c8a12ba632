using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;

namespace Pipelines;

/// <summary>
/// An executor seen through a cancellation token (<see cref="ExecutorExtensions.WithCancellation"/>): every call
/// submitted through it — generated stubs included — runs on the underlying executor and is cancelled when the token
/// fires (a pending call never runs; a running one gets its own token signalled), and its pending dependents with it.
/// The view does not own the executor: shutting it down or disposing it does nothing to the executor.
/// </summary>
internal sealed class CancellationView(IExecutor inner, CancellationToken token) : IExecutor
{
    public IExecutor Inner { get; } = inner;

    public CancellationToken Token { get; } = token;

    public Future<T> Submit<T>(Func<T> function) => DelegateCalls.Submit(this, function);

    public Future<T> Submit<T>(Func<CancellationToken, T> function) => DelegateCalls.Submit(this, function);

    public Future<T> Submit<T>(Func<Task<T>> function) => DelegateCalls.SubmitAsync<T>(this, function);

    public Future<T> Submit<T>(Func<CancellationToken, Task<T>> function) => DelegateCalls.SubmitAsync<T>(this, function);

    public Future Submit(Action action) => DelegateCalls.Submit(this, action);

    public Future Submit(Func<Task> function) => DelegateCalls.SubmitAsync<VoidResult>(this, function);

    public Future Submit(Func<CancellationToken, Task> function) => DelegateCalls.SubmitAsync<VoidResult>(this, function);

    /// <summary>Does nothing: the view does not own the executor.</summary>
    public void Shutdown(bool wait = true, bool cancelFutures = false)
    {
    }

    /// <summary>Does nothing: the view does not own the executor.</summary>
    public Task ShutdownAsync(bool cancelFutures = false) => Task.CompletedTask;

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => default;

    public override string ToString() => $"{Inner} (with cancellation)";

    /// <summary>The executor the calls run on, and the tokens of every view on the way to it.</summary>
    public static Executor Unwrap(IExecutor executor, out CancellationView? view)
    {
        view = executor as CancellationView;
        while (executor is CancellationView v)
        {
            executor = v.Inner;
        }

        return executor as Executor
            ?? throw new ArgumentException(
                $"The executor must be one of Pipelines' executors (derived from {typeof(Executor).FullName}) or a WithCancellation view of one; " +
                $"{executor.GetType().FullName} implements {nameof(IExecutor)} itself, which is not supported: generated stubs and WithCancellation " +
                $"hand their calls to the executor's own scheduling. To run calls on a scheduler of your own, use {nameof(TaskSchedulerExecutor)}.",
                nameof(executor));
    }
}
