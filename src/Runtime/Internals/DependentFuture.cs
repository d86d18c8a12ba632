using System;
using System.ComponentModel;
using System.Threading;
using Pipelines.Diagnostics;
using Pipelines.Remoting;

namespace Pipelines.Internals;

/// <summary>
/// A call that starts when its argument futures complete — the plumbing under generated stubs. No thread waits:
/// a countdown of pending arguments is decremented by each argument's completion, and the last one hands the call
/// to its executor. An argument that faults faults this call with the same exception instance, without running
/// it; an argument that is cancelled cancels it.
/// </summary>
/// <remarks>
/// Derive from <see cref="CallFuture{TResult}"/> or <see cref="AsyncCallFuture{TResult}"/>. In the derived
/// constructor, store the arguments, call <see cref="DependOn(Future)"/> for each one that may be a future, then
/// call <see cref="Start"/> exactly once.
/// </remarks>
/// <typeparam name="TResult">The call's result.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract partial class DependentFuture<TResult> : Future<TResult>, IWorkItem, IFutureContinuation, IThreadPoolWorkItem
{
    private static readonly ContextCallback s_runInContext = static state => ((DependentFuture<TResult>)state!).EnterAndRunBody();

    private protected DependentFuture(IExecutor executor)
        : base(AcceptedBy(executor))
    {
        HoldUntilStarted();

        // ExecutionContext (AsyncLocal values, the current Activity) flows from the submitter into the call.
        CaptureContext();
        for (IExecutor? view = executor; view is CancellationView cancellable; view = cancellable.Inner)
        {
            CancelWhen(cancellable.Token);
        }

        if (Telemetry.IsEnabled)
        {
            Telemetry.CallSubmitted(this);
        }
    }

    Future IWorkItem.Future => this;

    bool IWorkItem.IsReady => PendingArguments == 0;

    /// <summary>A token that fires when this future is cancelled, or its executor shuts down with <c>cancelFutures</c>.</summary>
    protected CancellationToken CancellationToken => GetCancellationToken();

    /// <summary>Makes the call wait for <paramref name="argument"/>; a <see langword="null"/> argument (a plain value) is ignored.</summary>
    protected void DependOn(Future? argument)
    {
        if (argument is null)
        {
            return;
        }

        if (Telemetry.IsEnabled)
        {
            Telemetry.ArgumentAdded(this, argument);
        }

        if (argument.IsDone)
        {
            if (argument.State != FutureState.Succeeded)
            {
                TryCompleteLike(argument);
            }

            return;
        }

        if (OwnerExecutor is RemoteExecutor remote && remote.CanResolveRemotely(argument))
        {
            return; // resolved where the call runs; the executor reports its failure to the call
        }

        AddPendingArguments(1);
        argument.AddContinuation(this);
    }

    /// <summary>
    /// Makes the call wait for <paramref name="argument"/> to complete in any state — succeeded, faulted or cancelled —
    /// without taking on its failure: the call runs either way and reads the outcome itself (<c>Catch</c>).
    /// </summary>
    private protected void DependOnOutcome(Future argument)
    {
        if (!argument.IsDone)
        {
            AddPendingArguments(1);
            argument.AddContinuation(new OutcomeWaiter(this));
        }
    }

    /// <summary>Makes the call wait for <paramref name="argument"/> when it is a future.</summary>
    protected void DependOn<T>(FutureOr<T> argument) => DependOn(argument.Future);

    /// <summary>Ends registration: the call is queued now, or when its last pending argument completes.</summary>
    protected void Start()
    {
        if (TryReleaseHoldWithoutArguments())
        {
            OwnerExecutor!.Enqueue(this, readiedBy: null);
        }
        else
        {
            OnArgumentDone(readiedBy: null);
        }
    }

    /// <summary>Drops references to the arguments once the call is done, so a finished pipeline can be collected.</summary>
    protected virtual void ReleaseArguments()
    {
    }

    /// <summary>
    /// What tells this call apart from the other calls of its method in graphs, spans and monitors, e.g. the page a
    /// <c>Render</c> call renders: <c>[Submittable(Label = "{path}")]</c>, by default the method's first argument of a
    /// simple type (a string, a number, an enum), rendered by <see cref="CallLabels"/>. Null when it has none. Generated
    /// calls override it; the runtime reads it only while something records (a graph recording, a listener, a monitor),
    /// and only while the call still holds its arguments (before it completes).
    /// </summary>
    protected virtual string? Label => null;

    internal sealed override string? RenderLabel() => CallLabels.Guarded(this, static call => call.Label);

    private protected abstract void RunBody();

    private protected sealed override void ReleaseResources() => ReleaseArguments();

    void IFutureContinuation.OnFutureCompleted(Future argument)
    {
        if (argument.State != FutureState.Succeeded)
        {
            TryCompleteLike(argument);
        }

        OnArgumentDone(argument);
    }

    /// <summary>
    /// Claims the call to run, Pending to Running, and starts its run's clock: the one way a call starts, here and on a
    /// <see cref="RemoteExecutor"/>. False when it was cancelled or claimed already (a worker that ran it inline while
    /// waiting for it), or when its executor cancels pending calls (it is cancelled instead).
    /// </summary>
    private bool TryBeginRun()
    {
        if (OwnerExecutor!.CancelsInsteadOfStarting(this) || !TryStart())
        {
            return false;
        }

        OnRunStarted();
        return true;
    }

    void IWorkItem.Execute()
    {
        if (!TryBeginRun())
        {
            return;
        }

        ExecutionFrames frames = ExecutionFrames.Push(this);
        try
        {
            ExecutionContext? context = CapturedContext;
            if (context is null && ThreadHasDefaultContext)
            {
                EnterAndRunBody();
                RestoreDefaultContext(); // the body may have set AsyncLocal values on this thread
            }
            else
            {
                ExecutionContext.Run(context ?? DefaultContext!, s_runInContext, this);
            }
        }
        finally
        {
            frames.PopFrame();
        }

        if (Telemetry.IsEnabled)
        {
            Telemetry.RunEnded(this, frames); // a monitor counts a call that ran here to its end on this thread's lane
        }
    }

    void IThreadPoolWorkItem.Execute() => ((IWorkItem)this).Execute();

    void IWorkItem.Fail(Exception exception) =>
        TryComplete(FutureState.Pending, FutureState.Faulted, FutureException.Capture(exception, observed: false));

    /// <summary>
    /// Runs the body inside the call's context. Telemetry first makes the call's span the current Activity
    /// there (only while something listens), so what the body submits or starts is a child of the call's span.
    /// </summary>
    private void EnterAndRunBody()
    {
        if (Telemetry.RecordsEveryCall)
        {
            Telemetry.EnterBody(this);
        }

        RunBody();
    }

    private static Executor AcceptedBy(IExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        Executor pipelinesExecutor = CancellationView.Unwrap(executor, out _);
        pipelinesExecutor.Accept();
        return pipelinesExecutor;
    }

    private sealed class OutcomeWaiter(DependentFuture<TResult> call) : IFutureContinuation
    {
        public void OnFutureCompleted(Future future) => call.OnArgumentDone(future);
    }

    private void OnArgumentDone(Future? readiedBy)
    {
        if (AddPendingArguments(-1) == 0 && State == FutureState.Pending)
        {
            OwnerExecutor!.Enqueue(this, readiedBy);
        }
    }
}
