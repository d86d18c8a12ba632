namespace Pipelines;

/// <summary>
/// Something that reacts to a future completing without a delegate allocation: a dependent call
/// counting down its arguments, a waiter of <see cref="Futures"/>, a task adapter.
/// </summary>
internal interface IFutureContinuation
{
    void OnFutureCompleted(Future future);
}

/// <summary>A continuation that stands for a call waiting on the future (blocked, or awaiting it).</summary>
internal interface IWaitingCall
{
    /// <summary>The call that waits, or null when the waiter is not inside a call.</summary>
    Future? WaitingCall { get; }
}
