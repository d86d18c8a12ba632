using System;

namespace Pipelines;

// Failures nobody else hears about: a throwing done-callback, and a faulted future nobody looked at.
public abstract partial class Future
{
    /// <summary>
    /// Raised when an <see cref="OnDone(Action{Future})"/> callback throws and the future's executor has no
    /// <see cref="Executor.CallbackFaulted"/> handler. Without any handler the exception is written to standard
    /// error, as CPython logs it: it is never swallowed silently, and it never stops other callbacks.
    /// </summary>
    public static event EventHandler<FutureCallbackExceptionEventArgs>? UnobservedCallbackException;

    /// <summary>
    /// Raised on the finalizer thread when a faulted future whose exception nobody observed is garbage-collected,
    /// as <see cref="System.Threading.Tasks.TaskScheduler.UnobservedTaskException"/> is for tasks. Observing means
    /// <see cref="Future{T}.GetResult(TimeSpan?)"/>, <see cref="GetException(TimeSpan?)"/>, <c>await</c>,
    /// <see cref="AsTask"/>, <see cref="OnDone(Action{Future})"/>, or passing the future to a call (the failure then
    /// moves on to that call's future). A discarded <c>_ = pool.SubmitBoom()</c> that throws is reported here.
    /// Each exception instance is reported at most once. Without any handler it is written to standard error (as asyncio
    /// reports "exception was never retrieved"); a handler replaces that, so an application routes it to its logger, or
    /// silences it, by subscribing. Handlers must not throw.
    /// </summary>
    public static event EventHandler<UnobservedFutureExceptionEventArgs>? UnobservedException;

    internal static bool HasUnobservedCallbackHandler => UnobservedCallbackException is not null;

    internal static void RaiseUnobservedCallbackException(Future future, FutureCallbackExceptionEventArgs args) =>
        UnobservedCallbackException?.Invoke(future, args);

    internal static void RaiseUnobservedException(Exception exception, Future? owner)
    {
        EventHandler<UnobservedFutureExceptionEventArgs>? handler = UnobservedException;
        string description = owner is null ? "a future" : SafeDescribe(owner);
        if (handler is null)
        {
            CallbackFailures.WriteError($"Pipelines: the exception of {description} was never observed (nobody read its result, its exception or awaited it before it was collected): {CallbackFailures.Describe(exception)}");
            return;
        }

        try
        {
            handler(null, new UnobservedFutureExceptionEventArgs(exception, description));
        }
        catch (Exception ex)
        {
            // A throwing handler on the finalizer thread would end the process.
            CallbackFailures.WriteError($"Pipelines: a Future.UnobservedException handler threw: {CallbackFailures.Describe(ex)}");
        }
    }

    private static string SafeDescribe(Future future)
    {
        try
        {
            return future.ToString();
        }
        catch (Exception)
        {
            return future.GetType().Name;
        }
    }
}
