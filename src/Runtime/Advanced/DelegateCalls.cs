using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Advanced;

/// <summary>The calls behind <see cref="IExecutor"/>'s Submit overloads: one object per submit, the delegate in a field.</summary>
internal static class DelegateCalls
{
    internal sealed class Sync<T> : CallFuture<T>
    {
        private Func<T>? _function;

        public Sync(IExecutor executor, Func<T> function)
            : base(executor)
        {
            _function = function;
            Start();
        }

        protected override T Invoke() => _function!();

        protected override void ReleaseArguments() => _function = null;
    }

    internal sealed class SyncWithToken<T> : CallFuture<T>
    {
        private Func<CancellationToken, T>? _function;

        public SyncWithToken(IExecutor executor, Func<CancellationToken, T> function)
            : base(executor)
        {
            _function = function;
            Start();
        }

        protected override T Invoke() => _function!(CancellationToken);

        protected override void ReleaseArguments() => _function = null;
    }

    internal sealed class Async<T> : AsyncCallFuture<T>
    {
        private Func<CancellationToken, Task<T>>? _function;

        public Async(IExecutor executor, Func<CancellationToken, Task<T>> function)
            : base(executor)
        {
            _function = function;
            Start();
        }

        protected override ValueTask<T> InvokeAsync() =>
            new(_function!(CancellationToken) ?? throw new InvalidOperationException("The submitted function returned a null Task."));

        protected override void ReleaseArguments() => _function = null;
    }

    internal sealed class Void : CallFuture<VoidResult>
    {
        private Action? _action;

        public Void(IExecutor executor, Action action)
            : base(executor)
        {
            _action = action;
            Start();
        }

        protected override VoidResult Invoke()
        {
            _action!();
            return default;
        }

        protected override void ReleaseArguments() => _action = null;
    }
}
