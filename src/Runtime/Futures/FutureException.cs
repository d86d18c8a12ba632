using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Pipelines;

/// <summary>
/// The exception of a faulted future. One that nobody observed (no <c>GetResult</c>, <c>GetException</c>,
/// <c>await</c>, <c>AsTask</c>, <c>OnDone</c>, nor a dependent call it was passed on to) is reported through
/// <see cref="Future.UnobservedException"/> when the future is collected. Only faulted futures pay for the
/// finalizer, as only they allocate this object; observing it cancels the finalizer.
/// </summary>
internal sealed class FutureException
{
    // One exception instance can reach several futures (an argument's failure moves on to each dependent); report it once.
    private static readonly ConditionalWeakTable<Exception, object> s_reported = new();

    private Future? _owner;
    private int _observed;

    private FutureException(ExceptionDispatchInfo info) => Info = info;

    ~FutureException()
    {
        if (Volatile.Read(ref _observed) != 0 || Environment.HasShutdownStarted)
        {
            return;
        }

        Exception exception = Info.SourceException;
        if (!s_reported.TryAdd(exception, s_reported))
        {
            return;
        }

        Future.RaiseUnobservedException(exception, _owner);
    }

    /// <summary>How to rethrow it with its original stack.</summary>
    public ExceptionDispatchInfo Info { get; }

    /// <summary>The exception instance the call threw.</summary>
    public Exception Exception => Info.SourceException;

    /// <summary>Captures what a call threw.</summary>
    public static FutureException Capture(Exception exception, bool observed)
    {
        var holder = new FutureException(ExceptionDispatchInfo.Capture(exception));
        if (observed)
        {
            holder.MarkObserved();
        }

        return holder;
    }

    /// <summary>The same exception instance, moving on to a dependent future that now answers for it.</summary>
    public static FutureException Propagate(FutureException from) => new(from.Info);

    /// <summary>True once someone saw the exception (drawing a graph of its future does not count).</summary>
    public bool IsObserved => Volatile.Read(ref _observed) != 0;

    /// <summary>Records which future holds it, for the unobserved report's description.</summary>
    public void SetOwner(Future owner) => _owner = owner;

    /// <summary>Someone saw the exception: no report at collection.</summary>
    public void MarkObserved()
    {
        if (Interlocked.Exchange(ref _observed, 1) == 0)
        {
            GC.SuppressFinalize(this);
        }
    }
}
