using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>Awaits a <see cref="Future"/> (<c>await future</c>). A done future continues at once, without allocating.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct FutureAwaiter : ICriticalNotifyCompletion
{
    private readonly Future _future;
    private readonly bool _continueOnCapturedContext;

    internal FutureAwaiter(Future future, bool continueOnCapturedContext)
    {
        _future = future;
        _continueOnCapturedContext = continueOnCapturedContext;
    }

    /// <summary>True once the future is done.</summary>
    public bool IsCompleted => _future.IsDone;

    /// <summary>Rethrows the call's exception (original instance and stack), or <see cref="OperationCanceledException"/> if cancelled.</summary>
    public void GetResult() => _future.GetResultForAwait();

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => AwaitContinuation.Register(_future, continuation, _continueOnCapturedContext, flowContext: true);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => AwaitContinuation.Register(_future, continuation, _continueOnCapturedContext, flowContext: false);
}

/// <summary>Awaits a <see cref="Future{T}"/> (<c>T x = await future</c>). A done future continues at once, without allocating.</summary>
/// <typeparam name="T">The call's result.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct FutureAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly Future<T> _future;
    private readonly bool _continueOnCapturedContext;

    internal FutureAwaiter(Future<T> future, bool continueOnCapturedContext)
    {
        _future = future;
        _continueOnCapturedContext = continueOnCapturedContext;
    }

    /// <summary>True once the future is done.</summary>
    public bool IsCompleted => _future.IsDone;

    /// <summary>The result; or rethrows the call's exception (original instance and stack), or <see cref="OperationCanceledException"/> if cancelled.</summary>
    public T GetResult() => _future.GetResult();

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => AwaitContinuation.Register(_future, continuation, _continueOnCapturedContext, flowContext: true);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => AwaitContinuation.Register(_future, continuation, _continueOnCapturedContext, flowContext: false);
}

/// <summary>The result of <see cref="Future.ConfigureAwait(bool)"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ConfiguredFutureAwaitable
{
    private readonly Future _future;
    private readonly bool _continueOnCapturedContext;

    internal ConfiguredFutureAwaitable(Future future, bool continueOnCapturedContext)
    {
        _future = future;
        _continueOnCapturedContext = continueOnCapturedContext;
    }

    /// <summary>The awaiter.</summary>
    public FutureAwaiter GetAwaiter() => new(_future, _continueOnCapturedContext);
}

/// <summary>The result of <see cref="Future{T}.ConfigureAwait(bool)"/>.</summary>
/// <typeparam name="T">The call's result.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ConfiguredFutureAwaitable<T>
{
    private readonly Future<T> _future;
    private readonly bool _continueOnCapturedContext;

    internal ConfiguredFutureAwaitable(Future<T> future, bool continueOnCapturedContext)
    {
        _future = future;
        _continueOnCapturedContext = continueOnCapturedContext;
    }

    /// <summary>The awaiter.</summary>
    public FutureAwaiter<T> GetAwaiter() => new(_future, _continueOnCapturedContext);
}

/// <summary>
/// Resumes an awaiting method once the future is done: posted to the captured <see cref="SynchronizationContext"/>
/// or <see cref="TaskScheduler"/>, else queued to the .NET thread pool — never run on the thread that completed the
/// future, which may be a pool worker or hold a lock.
/// </summary>
internal sealed class AwaitContinuation : IFutureContinuation, IWaitingCall, IThreadPoolWorkItem
{
    private static readonly SendOrPostCallback s_post = static state => ((AwaitContinuation)state!).Run();
    private static readonly Action<object?> s_start = static state => ((AwaitContinuation)state!).Run();
    private static readonly ContextCallback s_run = static state => ((Action)state!)();

    private readonly Action _continuation;
    private readonly object? _scheduler; // SynchronizationContext | TaskScheduler | null
    private readonly ExecutionContext? _context;

    private AwaitContinuation(Action continuation, object? scheduler, ExecutionContext? context)
    {
        _continuation = continuation;
        _scheduler = scheduler;
        _context = context;
        WaitingCall = InsideWork.CurrentAsyncCall;
    }

    /// <summary>The async call that awaits, if the await is inside one.</summary>
    public Future? WaitingCall { get; }

    public static void Register(Future future, Action continuation, bool continueOnCapturedContext, bool flowContext)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        object? scheduler = null;
        if (continueOnCapturedContext)
        {
            SynchronizationContext? context = SynchronizationContext.Current;
            if (context is not null && context.GetType() != typeof(SynchronizationContext))
            {
                scheduler = context;
            }
            else if (TaskScheduler.Current != TaskScheduler.Default)
            {
                scheduler = TaskScheduler.Current;
            }
        }

        future.AddContinuation(new AwaitContinuation(continuation, scheduler, flowContext ? ExecutionContext.Capture() : null));
    }

    public void OnFutureCompleted(Future future)
    {
        switch (_scheduler)
        {
            case SynchronizationContext context:
                context.Post(s_post, this);
                break;
            case TaskScheduler scheduler:
                Task.Factory.StartNew(s_start, this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
                break;
            default:
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                break;
        }
    }

    void IThreadPoolWorkItem.Execute() => Run();

    private void Run()
    {
        if (_context is null)
        {
            _continuation();
        }
        else
        {
            ExecutionContext.Run(_context, s_run, _continuation);
        }
    }
}
