using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Diagnostics;

namespace Pipelines.Internals;

/// <summary>The calls behind <see cref="IExecutor"/>'s Submit overloads: one object per submit, the delegate in a field.</summary>
/// <remarks>
/// Each constructor passes its executor through <see cref="Announce"/>, so that telemetry, which names a call
/// when the base constructor accepts it (before the delegate is stored), can name it by its delegate. One static read
/// when nothing listens. <see cref="IDelegateCall"/> names it afterwards, until the call drops its delegate.
/// </remarks>
internal static class DelegateCalls
{
    // IExecutor's Submit overloads, for every executor and view (Executor, CancellationView): check, then make the call.
    public static Future<T> Submit<T>(IExecutor executor, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new Sync<T>(executor, function);
    }

    public static Future<T> Submit<T>(IExecutor executor, Func<CancellationToken, T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new SyncWithToken<T>(executor, function);
    }

    public static Future Submit(IExecutor executor, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new Void(executor, action);
    }

    /// <summary>Any async delegate shape; <typeparamref name="T"/> is <see cref="VoidResult"/> for a plain <see cref="Task"/>.</summary>
    public static Future<T> SubmitAsync<T>(IExecutor executor, Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new Async<T>(executor, function);
    }

    private static IExecutor Announce(IExecutor executor, Delegate function)
    {
        if (Telemetry.IsEnabled)
        {
            Telemetry.AnnounceDelegate(function);
        }

        return executor;
    }

    internal sealed class Sync<T> : CallFuture<T>, IDelegateCall
    {
        private Func<T>? _function;

        public Sync(IExecutor executor, Func<T> function)
            : base(Announce(executor, function))
        {
            _function = function;
            Start();
        }

        Delegate? IDelegateCall.Function => _function;

        protected override T Invoke() => _function!();

        protected override void ReleaseArguments() => _function = null;
    }

    internal sealed class SyncWithToken<T> : CallFuture<T>, IDelegateCall
    {
        private Func<CancellationToken, T>? _function;

        public SyncWithToken(IExecutor executor, Func<CancellationToken, T> function)
            : base(Announce(executor, function))
        {
            _function = function;
            Start();
        }

        Delegate? IDelegateCall.Function => _function;

        protected override T Invoke() => _function!(CancellationToken);

        protected override void ReleaseArguments() => _function = null;
    }

    internal sealed class Void : CallFuture<VoidResult>, IDelegateCall
    {
        private Action? _action;

        public Void(IExecutor executor, Action action)
            : base(Announce(executor, action))
        {
            _action = action;
            Start();
        }

        Delegate? IDelegateCall.Function => _action;

        protected override VoidResult Invoke()
        {
            _action!();
            return default;
        }

        protected override void ReleaseArguments() => _action = null;
    }

    /// <summary>
    /// Every async delegate shape in one class: <c>Func&lt;Task&lt;T&gt;&gt;</c>, <c>Func&lt;ValueTask&lt;T&gt;&gt;</c>,
    /// <c>Func&lt;Task&gt;</c>, <c>Func&lt;ValueTask&gt;</c>, each with or without a <see cref="System.Threading.CancellationToken"/>.
    /// </summary>
    internal sealed class Async<T> : AsyncCallFuture<T>, IDelegateCall
    {
        private object? _function;

        public Async(IExecutor executor, object function)
            : base(Announce(executor, (Delegate)function))
        {
            _function = function;
            Start();
        }

        Delegate? IDelegateCall.Function => _function as Delegate;

        protected override ValueTask<T> InvokeAsync() => _function switch
        {
            Func<CancellationToken, Task<T>> f => new(f(CancellationToken) ?? throw NullTask()),
            Func<Task<T>> f => new(f() ?? throw NullTask()),
            Func<CancellationToken, ValueTask<T>> f => f(CancellationToken),
            Func<ValueTask<T>> f => f(),
            Func<CancellationToken, Task> f => Void(VoidTasks.From(f(CancellationToken) ?? throw NullTask())),
            Func<Task> f => Void(VoidTasks.From(f() ?? throw NullTask())),
            Func<CancellationToken, ValueTask> f => Void(VoidTasks.From(f(CancellationToken))),
            Func<ValueTask> f => Void(VoidTasks.From(f())),
            _ => throw new InvalidOperationException($"Unexpected delegate {_function?.GetType()}."),
        };

        protected override void ReleaseArguments() => _function = null;

        // T is VoidResult whenever the delegate returns a plain Task or ValueTask.
        private static ValueTask<T> Void(ValueTask<VoidResult> task) => Unsafe.As<ValueTask<VoidResult>, ValueTask<T>>(ref task);

        private static InvalidOperationException NullTask() => new("The submitted function returned a null Task.");
    }
}
