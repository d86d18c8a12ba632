using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Remoting;

/// <summary>
/// The base for executors that run calls somewhere else — other processes, a cluster — through the same generated
/// stubs: <see cref="ProcessPoolExecutor"/>, and add-on executors such as the Orleans one. The runtime accepts calls,
/// counts them, waits for their argument futures, applies cancellation, retries and timeouts, and shuts down; a
/// remote executor only sends ready calls out (<see cref="Dispatch"/>) and finishes them when their outcome comes back.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public abstract class RemoteExecutor : Executor
{
    /// <summary>Creates the executor.</summary>
    /// <param name="name">Its name, for error messages and telemetry.</param>
    [SuppressMessage("ApiDesign", "RS0022:Constructor make noninheritable base class inheritable", Justification = "Intended: add-on executors derive from this type; Executor, its base, has no protected members of its own to expose.")]
    protected RemoteExecutor(string name)
        : base(name)
    {
    }

    /// <summary>
    /// Runs a ready call: claim it with <see cref="IRemoteWorkItem.TryStart"/> (skip it if that fails), send it, and
    /// later finish it with <see cref="IRemoteWorkItem.SetResult"/>, <see cref="IRemoteWorkItem.SetException"/> or
    /// <see cref="IRemoteWorkItem.SetCanceled"/>. Called on the thread that made the call ready; must not block.
    /// A call whose <see cref="IRemoteWorkItem.Call"/> is null cannot run remotely: fail it.
    /// </summary>
    protected abstract void Dispatch(IRemoteWorkItem item);

    /// <summary>
    /// How exceptions thrown where this executor's calls run are rebuilt here: the calls' own exceptions, and the per-item
    /// failures of a chunked <c>Map…</c>. Default <see cref="RemoteExceptionFactory.Default"/>; an executor sets it from its
    /// options in its constructor.
    /// </summary>
    public RemoteExceptionFactory RemoteExceptions { get; protected init; } = RemoteExceptionFactory.Default;

    /// <summary>
    /// How long one run of a call may take on this executor, or null (the default) for no limit; a method's
    /// <c>[Submittable(TimeoutMilliseconds = ms)]</c> is the same limit, and the shorter wins. The call's own clock
    /// enforces it: when it is up the call ends <see cref="FutureState.Cancelled"/> and its
    /// <see cref="IRemoteWorkItem.CancellationToken"/> fires, which is all the executor reacts to (stop the run where it
    /// runs). Set it in the constructor; <see cref="Timeout.InfiniteTimeSpan"/> means no limit, as null does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than infinite), or longer than
    /// <see cref="int.MaxValue"/> milliseconds.</exception>
    protected TimeSpan? RunTimeLimit
    {
        get => DefaultRunTimeLimit;
        init
        {
            if (value is { } limit && limit != Timeout.InfiniteTimeSpan && (limit <= TimeSpan.Zero || limit.TotalMilliseconds > int.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(RunTimeLimit), limit, $"{nameof(RunTimeLimit)} must be positive and at most Int32.MaxValue milliseconds, or null (or Timeout.InfiniteTimeSpan) for no limit.");
            }

            DefaultRunTimeLimit = value == Timeout.InfiniteTimeSpan ? null : value;
        }
    }

    /// <summary>
    /// False (the default): a run's clock starts when <see cref="IRemoteWorkItem.TryStart"/> claims the call. True: the
    /// executor starts it itself with <see cref="IRemoteWorkItem.StartRunClock"/> when the run really begins where it
    /// runs (a process pool: once a new worker has started), so that getting there does not count. Set it in the
    /// constructor.
    /// </summary>
    protected bool StartsRunClocks
    {
        get => StartsRunClocksOnRun;
        init => StartsRunClocksOnRun = value;
    }

    /// <summary>
    /// How many calls this executor runs at once, as far as it knows (a process pool: its workers). A typed map keeps
    /// about twice as many chunks in flight. Default: <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    protected internal virtual int Concurrency => Environment.ProcessorCount;

    /// <summary>
    /// Completes when a submit would not wait for room: at once when the executor is unbounded or not full. The
    /// asynchronous way to respect a bound on queued calls (<c>maxQueued</c>), e.g.
    /// <c>await executor.WaitForRoomAsync(ct); executor.SubmitX(item);</c>.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken = default) => WaitForRoomAsyncCore(cancellationToken);

    /// <summary>
    /// Bounds the calls the executor holds unfinished (accepted and not yet done), with the thread pool's
    /// <c>maxQueued</c> semantics: a submit beyond <paramref name="limit"/> waits for room — blocking, except from inside
    /// the executor's own callbacks and continuations, where waiting could wait for itself. Call it once, from the
    /// constructor, before any submit.
    /// </summary>
    /// <param name="limit">The most unfinished calls; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    protected void SetMaxUnfinishedCalls(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        SetCapacity(limit);
    }

    /// <summary>
    /// Runs a ready call; <paramref name="readiedBy"/> is the argument whose completion made it ready (null when it was
    /// ready at submit). The process pool sends such calls first.
    /// </summary>
    private protected virtual void DispatchReady(IRemoteWorkItem item, Future? readiedBy) => Dispatch(item);

    /// <summary>
    /// True if a pending <paramref name="argument"/> future is resolved where the call runs (for example, the result
    /// of another call on the same cluster, fetched silo to silo): the call is then dispatched without waiting for it
    /// here. Its failure or cancellation is the executor's to report to the call. Default: false, every argument is
    /// awaited locally and sent as a value.
    /// </summary>
    protected internal virtual bool CanResolveRemotely(Future argument) => false;

    /// <summary>
    /// The <see cref="IRemoteWorkItem.RemoteState"/> of <paramref name="future"/> when it is a call of this executor (for
    /// example, to send a reference to where its result is held instead of its value).
    /// </summary>
    protected bool TryGetRemoteState(Future future, out object? state)
    {
        ArgumentNullException.ThrowIfNull(future);
        state = future.OwnerExecutor == this ? future.RemoteState : null;
        return state is not null;
    }

    /// <summary>Shutdown began (called once per Shutdown call); with <paramref name="cancelFutures"/>, cancel what has not been sent.</summary>
    protected virtual void OnShutdown(bool cancelFutures)
    {
    }

    /// <summary>Shut down, and every accepted call is finished: release workers and connections.</summary>
    protected virtual void OnDrained()
    {
    }

    /// <summary>Blocks until the executor's workers are gone; called by a <c>Shutdown(wait: true)</c> from outside the executor, after <see cref="OnDrained"/>.</summary>
    protected virtual void WaitForWorkers()
    {
    }

    private protected sealed override void EnqueueCore(IWorkItem item, Future? readiedBy) => DispatchReady((IRemoteWorkItem)item, readiedBy);

    private protected sealed override void OnShutdownCore(bool cancelFutures) => OnShutdown(cancelFutures);

    private protected sealed override void OnDrainedCore() => OnDrained();

    private protected sealed override void WaitForWorkersCore() => WaitForWorkers();
}
