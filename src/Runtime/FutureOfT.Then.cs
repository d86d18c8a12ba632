using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;

namespace Pipelines;

// Lambda continuations: the typed counterpart of the generated Then… stubs, with the same rules. The lambda runs on
// this future's executor (inline for a future that has none) once this future succeeds; if it faults or is cancelled,
// so is the continuation, with the same exception instance, and the lambda does not run.
// The three call classes below share the shape of every call class (source and delegate in fields, depend, start,
// release) but not a base: a synchronous call, an asynchronous one, and one that runs on any outcome.
public partial class Future<T>
{
    /// <summary>Runs <paramref name="function"/> on this future's result once it succeeds, on this future's executor.</summary>
    /// <typeparam name="TResult">The continuation's result.</typeparam>
    /// <param name="function">What to compute from the result.</param>
    /// <returns>A future of <paramref name="function"/>'s result; faulted or cancelled like this future if it does not succeed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public Future<TResult> Then<TResult>(Func<T, TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ThenCall<TResult>(this, function);
    }

    /// <summary>Runs an asynchronous <paramref name="function"/> on this future's result once it succeeds; the continuation completes with the awaited result.</summary>
    /// <inheritdoc cref="Then{TResult}(Func{T, TResult})"/>
    public Future<TResult> Then<TResult>(Func<T, Task<TResult>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ThenAsyncCall<TResult>(this, function);
    }

    /// <summary>
    /// Runs an asynchronous <paramref name="function"/> on this future's result once it succeeds, passing the
    /// continuation's cancellation token; the continuation completes with the awaited result.
    /// </summary>
    /// <inheritdoc cref="Then{TResult}(Func{T, TResult})"/>
    public Future<TResult> Then<TResult>(Func<T, CancellationToken, Task<TResult>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ThenAsyncCall<TResult>(this, function);
    }

    /// <summary>Runs <paramref name="action"/> on this future's result once it succeeds, on this future's executor.</summary>
    /// <param name="action">What to do with the result.</param>
    /// <returns>A future that completes when <paramref name="action"/> has run; faulted or cancelled like this future if it does not succeed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    public Future Then(Action<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ThenCall<VoidResult>(this, result =>
        {
            action(result);
            return default;
        });
    }

    /// <summary>Runs an asynchronous <paramref name="function"/> on this future's result once it succeeds; completes when its task does.</summary>
    /// <inheritdoc cref="Then(Action{T})"/>
    /// <param name="function">What to do with the result.</param>
    public Future Then(Func<T, Task> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ThenAsyncCall<VoidResult>(this, function);
    }

    /// <summary>Runs an asynchronous <paramref name="function"/> on this future's result once it succeeds, passing the continuation's cancellation token.</summary>
    /// <inheritdoc cref="Then(Action{T})"/>
    /// <param name="function">What to do with the result.</param>
    public Future Then(Func<T, CancellationToken, Task> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ThenAsyncCall<VoidResult>(this, function);
    }

    /// <summary>
    /// A fallback for a failure: succeeds with this future's result, or — when this future faults with a
    /// <typeparamref name="TException"/> — with <paramref name="fallback"/>'s value, computed on this future's executor.
    /// Any other failure passes through (the same exception instance), and so does cancellation.
    /// </summary>
    /// <typeparam name="TException">The exceptions to recover from (derived types included).</typeparam>
    /// <param name="fallback">The value to use instead, given the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fallback"/> is null.</exception>
    public Future<T> Catch<TException>(Func<TException, T> fallback)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new CatchCall<TException>(this, fallback);
    }

    /// <summary>A lambda continuation of a synchronous function.</summary>
    private sealed class ThenCall<TResult> : CallFuture<TResult>
    {
        private Future<T>? _source;
        private Func<T, TResult>? _function;

        public ThenCall(Future<T> source, Func<T, TResult> function)
            : base(Stubs.ExecutorOf(source))
        {
            _source = source;
            _function = function;
            DependOn(source);
            Start();
        }

        private protected override string DisplayName => "Then";

        protected override TResult Invoke() => _function!(_source!.ResultIfSucceeded);

        protected override void ReleaseArguments()
        {
            _source = null;
            _function = null;
        }
    }

    /// <summary>A lambda continuation of an asynchronous function (with or without the call's token).</summary>
    private sealed class ThenAsyncCall<TResult> : AsyncCallFuture<TResult>
    {
        private Future<T>? _source;
        private Delegate? _function;

        public ThenAsyncCall(Future<T> source, Delegate function)
            : base(Stubs.ExecutorOf(source))
        {
            _source = source;
            _function = function;
            DependOn(source);
            Start();
        }

        private protected override string DisplayName => "Then";

        protected override ValueTask<TResult> InvokeAsync()
        {
            T value = _source!.ResultIfSucceeded;
            return _function switch
            {
                Func<T, Task<TResult>> f => new(f(value) ?? throw NullTask()),
                Func<T, CancellationToken, Task<TResult>> f => new(f(value, CancellationToken) ?? throw NullTask()),
                Func<T, Task> f => AsVoid(VoidTasks.From(f(value) ?? throw NullTask())),
                Func<T, CancellationToken, Task> f => AsVoid(VoidTasks.From(f(value, CancellationToken) ?? throw NullTask())),
                _ => throw new InvalidOperationException($"Unexpected delegate {_function?.GetType()}."),
            };
        }

        protected override void ReleaseArguments()
        {
            _source = null;
            _function = null;
        }

        // TResult is VoidResult whenever the delegate returns a plain Task.
        private static ValueTask<TResult> AsVoid(ValueTask<VoidResult> task) =>
            System.Runtime.CompilerServices.Unsafe.As<ValueTask<VoidResult>, ValueTask<TResult>>(ref task);

        private static InvalidOperationException NullTask() => new("The continuation returned a null Task.");
    }

    /// <summary>Runs when the source completes in any state, and recovers from one kind of failure.</summary>
    private sealed class CatchCall<TException> : DependentFuture<T>
        where TException : Exception
    {
        private Future<T>? _source;
        private Func<TException, T>? _fallback;

        public CatchCall(Future<T> source, Func<TException, T> fallback)
            : base(Stubs.ExecutorOf(source))
        {
            _source = source;
            _fallback = fallback;
            DependOnOutcome(source);
            Start();
        }

        private protected override string DisplayName => "Catch";

        private protected override void RunBody()
        {
            Future<T> source = _source!;
            switch (source.State)
            {
                case FutureState.Succeeded:
                    CompleteRunningWith(source.ResultIfSucceeded);
                    break;
                case FutureState.Faulted when source.ExceptionHolder!.Exception is TException handled:
                    source.MarkExceptionObserved();
                    T value;
                    try
                    {
                        value = _fallback!(handled);
                    }
                    catch (Exception ex)
                    {
                        FailRunning(ex);
                        return;
                    }

                    CompleteRunningWith(value);
                    break;
                default:
                    TryCompleteLike(source, FutureState.Running);
                    break;
            }
        }

        protected override void ReleaseArguments()
        {
            _source = null;
            _fallback = null;
        }
    }
}
