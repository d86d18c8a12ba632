using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Internals;
using Pipelines.Scheduling;

namespace Pipelines;

/// <summary>
/// The base of every executor. It owns what they share: accepting work (and refusing it after shutdown or once
/// broken), counting accepted calls until each reaches a terminal state and its continuations ran, and shutdown
/// (in <c>Executor.Shutdown.cs</c>). Subclasses only decide where a ready call runs.
/// </summary>
public abstract partial class Executor : IExecutor
{
    private readonly CancellationTokenSource _shutdownSource = new();
    private StripedCounter _outstanding = new(StripedCounter.DefaultStripes); // one stripe per thread: see StripedCounter
    private int _isShutdown;
    private int _cancelPending;
    private BrokenExecutorException? _broken;

    private protected Executor(string name)
    {
        Name = name;
        ProcessExitDrain.Register(this);
    }

    /// <summary>
    /// Raised on the completing thread when a done-callback of one of this executor's futures throws. When no
    /// handler is attached, <see cref="Future.UnobservedCallbackException"/> is raised instead.
    /// </summary>
    public event EventHandler<FutureCallbackExceptionEventArgs>? CallbackFaulted;

    /// <summary>The executor's name, used in thread names and error messages.</summary>
    public string Name { get; }

    /// <summary>True once <see cref="Shutdown(bool, bool)"/> or <see cref="ShutdownAsync(bool)"/> was called.</summary>
    public bool IsShutdown => Volatile.Read(ref _isShutdown) != 0;

    /// <summary>True once the executor is broken (a worker initializer threw, or a process pool's worker could not start).</summary>
    public bool IsBroken => Volatile.Read(ref _broken) is not null;

    /// <summary>
    /// Whether work accepted and still unfinished when the process exits is finished first, as Python does at
    /// interpreter exit (default <see langword="true"/>): on <see cref="AppDomain.ProcessExit"/>, an executor that
    /// was never shut down stops accepting work and the exit waits for its queued and running calls. Set it to
    /// <see langword="false"/> to let the process end at once, dropping what has not run.
    /// </summary>
    public bool FinishesWorkAtExit { get; set; } = true;

    internal CancellationToken ShutdownToken => _shutdownSource.Token;

    internal bool IsCancellingPending => Volatile.Read(ref _cancelPending) != 0;

    /// <summary>
    /// How long one run of a call may take on this executor, or null for no limit: the default for calls whose method
    /// sets no <c>[Submittable(TimeoutMilliseconds = ms)]</c> (with both, the shorter wins). The call's own clock
    /// enforces it, as it does the method's limit; an executor that runs calls elsewhere only reacts to the call's
    /// token (a process pool stops the worker, a cluster cancels the call on its silo).
    /// </summary>
    /// <remarks>Read at the start of every run: a field, set once in the constructor (see <see cref="Remoting.RemoteExecutor.RunTimeLimit"/>).</remarks>
    internal TimeSpan? DefaultRunTimeLimit { get; private protected set; }

    /// <summary>
    /// True if this executor starts each run's clock itself when the run really begins elsewhere
    /// (<see cref="Remoting.IRemoteWorkItem.StartRunClock"/>); false if the clock starts when the call is claimed.
    /// </summary>
    internal bool StartsRunClocksOnRun { get; private protected set; }

    /// <summary>
    /// The start gate, asked wherever a call of this executor is about to be queued or claimed to run: once a
    /// cancelling shutdown began, <paramref name="call"/> is cancelled instead and this returns true. The one place
    /// where "cancel pending calls" decides that a call does not start.
    /// </summary>
    internal bool CancelsInsteadOfStarting(Future call)
    {
        if (!IsCancellingPending)
        {
            return false;
        }

        call.Cancel();
        return true;
    }

    /// <summary>
    /// Calls accepted and not yet finished (terminal and their continuations run). Exact once shutdown has begun and
    /// nothing is being submitted; before that, while calls come and go, a sum of stripes that may be off by the calls
    /// in flight (see <see cref="StripedCounter"/>): good for metrics and progress, not for decisions.
    /// </summary>
    internal int OutstandingCount => Math.Max(0, _outstanding.Sum());

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<T> function) => DelegateCalls.Submit(this, function);

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<CancellationToken, T> function) => DelegateCalls.Submit(this, function);

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<Task<T>> function) => DelegateCalls.SubmitAsync<T>(this, function);

    /// <inheritdoc/>
    public Future<T> Submit<T>(Func<CancellationToken, Task<T>> function) => DelegateCalls.SubmitAsync<T>(this, function);

    /// <inheritdoc/>
    public Future Submit(Func<Task> function) => DelegateCalls.SubmitAsync<VoidResult>(this, function);

    /// <inheritdoc/>
    public Future Submit(Func<CancellationToken, Task> function) => DelegateCalls.SubmitAsync<VoidResult>(this, function);

    /// <inheritdoc/>
    public Future Submit(Action action) => DelegateCalls.Submit(this, action);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Counts a new call as accepted, or refuses it. Every accepted call is counted until it is finished.</summary>
    internal void Accept()
    {
        if (_capacityLimit != int.MaxValue)
        {
            WaitForRoom();
        }

        // Count first, then look at the flag: BeginShutdown sets the flag, then reads the count, so one of us sees the
        // other. A submit that sees the flag undoes its count on the same thread's stripe (see BeginShutdown).
        _outstanding.Increment();
        if (IsShutdown)
        {
            OnWorkCompleted();
            throw new ExecutorShutdownException($"Cannot submit to '{Name}': it has been shut down.");
        }

        if (Volatile.Read(ref _broken) is { } broken)
        {
            OnWorkCompleted();
            throw broken.WithMessage($"Cannot submit to '{Name}': {broken.Message}");
        }
    }

    /// <summary>
    /// Hands a ready call (every argument future succeeded) to the executor. <paramref name="readiedBy"/> is the
    /// future whose completion made it ready — an argument, or the call itself for a retry whose backoff has passed —
    /// or null when it was ready at submit. Executors run calls made ready by a completion before calls that were
    /// ready at submit and have not started: a pipeline finishes what it started first.
    /// </summary>
    internal void Enqueue(IWorkItem item, Future? readiedBy)
    {
        if (Volatile.Read(ref _broken) is { } broken)
        {
            item.Fail(broken.WithMessage(broken.Message));
        }
        else if (!CancelsInsteadOfStarting(item.Future))
        {
            EnqueueCore(item, readiedBy);
        }
    }

    /// <summary>One accepted call is finished: terminal, and its continuations have run.</summary>
    internal void OnWorkCompleted()
    {
        // Uncount first, then look at the flag: a sum read after shutdown began either saw this call finish or counted
        // it, and then this thread sees the flag and sums again (see BeginShutdown).
        _outstanding.Decrement();
        if (_capacityLimit != int.MaxValue)
        {
            SignalRoom();
        }

        if (IsShutdown)
        {
            OnProgressAfterShutdown(_outstanding.Sum());
        }
    }

    internal bool RaiseCallbackFaulted(FutureCallbackExceptionEventArgs args)
    {
        EventHandler<FutureCallbackExceptionEventArgs>? handler = CallbackFaulted;
        if (handler is null)
        {
            return false;
        }

        handler(this, args);
        return true;
    }

    /// <summary>Queues a ready call. <paramref name="readiedBy"/>: see <see cref="Enqueue"/>.</summary>
    private protected abstract void EnqueueCore(IWorkItem item, Future? readiedBy);

    /// <summary>Why the executor is broken, or null.</summary>
    private protected BrokenExecutorException? BrokenReason => Volatile.Read(ref _broken);

    /// <summary>Breaks the executor: pending and later work fails with a <see cref="BrokenExecutorException"/>.</summary>
    private protected void Break(BrokenExecutorException exception) => Interlocked.CompareExchange(ref _broken, exception, null);
}
