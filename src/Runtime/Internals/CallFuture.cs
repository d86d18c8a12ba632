using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Pipelines.Internals;

/// <summary>
/// A synchronous call that is its own future and its own work item, holding its arguments in typed fields:
/// what a generated stub allocates, once per submit.
/// </summary>
/// <typeparam name="TResult">The call's result; <see cref="VoidResult"/> for methods that return nothing.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallFuture<TResult> : DependentFuture<TResult>
{
    /// <summary>Accepts the call on <paramref name="executor"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> is null.</exception>
    /// <exception cref="ExecutorShutdownException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [SuppressMessage("ApiDesign", "RS0022:Constructor make noninheritable base class inheritable", Justification = "Intended: generated call classes derive from this type and use DependentFuture's protected start protocol (DependOn, Start, CancellationToken, ReleaseArguments). PublicApiAnalyzers cannot list members of a base it sees as not inheritable, so they are reviewed here, not in PublicAPI.Unshipped.txt.")]
    protected CallFuture(IExecutor executor)
        : base(executor)
    {
    }

    /// <summary>Runs the call. Argument futures have all succeeded by now.</summary>
    protected abstract TResult Invoke();

    private protected sealed override void RunBody()
    {
        TResult result;
        try
        {
            result = Invoke();
        }
        catch (Exception ex)
        {
            FailRunning(ex);
            return;
        }

        CompleteRunningWith(result);
    }
}
