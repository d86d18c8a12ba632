using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using System.Diagnostics.CodeAnalysis;

namespace Pipelines.Internals;

/// <summary>
/// An asynchronous call that is its own future and work item: it is Running from its start until the task it
/// returns completes. A worker is held only while the method runs synchronously.
/// </summary>
/// <typeparam name="TResult">The call's result; <see cref="VoidResult"/> for <see cref="Task"/>/<see cref="ValueTask"/> methods.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class AsyncCallFuture<TResult> : DependentFuture<TResult>
{
    /// <summary>Accepts the call on <paramref name="executor"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [SuppressMessage("ApiDesign", "RS0022:Constructor make noninheritable base class inheritable", Justification = "Intended: generated call classes derive from this type and use DependentFuture's protected start protocol (DependOn, Start, CancellationToken, ReleaseArguments). PublicApiAnalyzers cannot list members of a base it sees as not inheritable, so they are reviewed here, not in PublicAPI.Unshipped.txt.")]
    protected AsyncCallFuture(IExecutor executor)
        : base(executor)
    {
    }

    /// <summary>Starts the call. Argument futures have all succeeded by now.</summary>
    protected abstract ValueTask<TResult> InvokeAsync();

    private protected sealed override void RunBody()
    {
        ValueTask<TResult> pending;
        Future? outer = InsideWork.CurrentAsyncCall;
        try
        {
            // Flows into the method's continuations: a shutdown awaited there knows which call it is part of.
            InsideWork.CurrentAsyncCall = this;
            pending = InvokeAsync();
        }
        catch (Exception ex)
        {
            FailRunning(ex);
            return;
        }
        finally
        {
            InsideWork.CurrentAsyncCall = outer;
        }

        if (pending.IsCompleted)
        {
            Finish(pending.ConfigureAwait(false).GetAwaiter());
            return;
        }

        ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() => Finish(awaiter));
    }

    private void Finish(ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter)
    {
        TResult result;
        try
        {
            result = awaiter.GetResult();
        }
        catch (Exception ex)
        {
            FailRunning(ex);
            return;
        }

        CompleteRunningWith(result);
    }
}
