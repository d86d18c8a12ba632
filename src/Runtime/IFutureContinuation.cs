namespace Pipelines;

/// <summary>
/// Something that reacts to a future completing without a delegate allocation: a dependent call
/// counting down its arguments, a waiter of <see cref="Futures"/>, a task adapter.
/// </summary>
internal interface IFutureContinuation
{
    void OnFutureCompleted(Future future);
}
