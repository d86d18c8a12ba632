using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using Pipelines.Internals;
using Pipelines.Remoting;
using Pipelines.ProcessPool;

namespace Pipelines;

/// <summary>
/// Runs static [Submittable] methods in worker processes (Python's <c>ProcessPoolExecutor</c>), for isolation:
/// code that crashes, leaks, holds global native state, or must really stop when it is cancelled. Submit through the
/// same generated stubs as any executor: <c>pool.SubmitAdd(2, 3)</c>; arguments and results travel as JSON.
/// </summary>
/// <remarks>
/// <para>Workers are the application itself, started again (<see cref="Environment.ProcessPath"/>, plus the entry
/// assembly under <c>dotnet app.dll</c>) with an environment variable that makes
/// <see cref="RunWorkerIfRequested"/> serve calls instead of running <c>Main</c>. In executables that declare
/// [Submittable] methods the generator calls it from a module initializer; otherwise call it first thing in <c>Main</c>.</para>
/// <para>Workers start on demand up to <see cref="MaxWorkers"/>, are reused, and are replaced after
/// <see cref="MaxTasksPerChild"/> calls. <see cref="Future.Cancel"/> on a running call, a cancelling shutdown or
/// <see cref="CallTimeout"/> kills its worker (the pool starts another when needed) and the call ends
/// <see cref="FutureState.Cancelled"/>. A worker that dies mid-call fails that call with
/// <see cref="BrokenProcessPoolException"/> carrying the exit code; the pool replaces it, or with
/// <see cref="BreakOnWorkerDeath"/> breaks like CPython's. An exception thrown by the method comes back as a
/// <see cref="RemoteException"/>. Shutdown waits until every worker process has exited; a worker whose parent dies exits too.</para>
/// <para>Only generated calls of static, non-generic [Submittable] methods can cross processes: a delegate passed to
/// <c>Submit</c>, or a call of an instance or generic method, fails with <see cref="NotSupportedException"/>.</para>
/// </remarks>
public sealed partial class ProcessPoolExecutor : RemoteExecutor
{
    private static readonly TimeSpan s_defaultStartTimeout = TimeSpan.FromSeconds(60);
    private static int s_poolCount;

    private readonly object _gate = new();
    private readonly Queue<IRemoteWorkItem> _readied = new(); // made ready by a completion: sent before _roots
    private readonly Queue<IRemoteWorkItem> _roots = new();   // ready when submitted
    private readonly List<WorkerHandle> _live = new();    // started and not retiring: busy or idle
    private readonly Stack<WorkerHandle> _idle = new();
    private readonly List<WorkerHandle> _started = new(); // every worker not yet known to have exited
    private readonly WorkerLaunch _launch;
    private bool _stopping;

    /// <summary>Creates a process pool.</summary>
    /// <param name="maxWorkers">The most worker processes at once; default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="maxTasksPerChild">Calls a worker runs before it is replaced by a fresh process; default: never replaced.</param>
    /// <param name="jsonOptions">How arguments and results are serialized; see <see cref="ProcessPoolOptions.JsonOptions"/>.</param>
    /// <param name="breakOnWorkerDeath">CPython's strict behaviour: a worker that dies breaks the pool. Default: replace it and continue.</param>
    /// <param name="callTimeout">How long one call may run before its worker is killed and the call cancelled; default: no limit.</param>
    /// <param name="initializer">A [Submittable] method and its arguments that each worker runs once before its first call
    /// (Python's <c>initializer</c>/<c>initargs</c>), made by the generated <c>{Type}Stubs.Initialize{Method}(…)</c>; one that throws breaks the pool.</param>
    /// <param name="maxQueued">Bounds the queue: a submit beyond <see cref="MaxWorkers"/> + <paramref name="maxQueued"/> unfinished
    /// calls waits for room (except from inside the pool's own callbacks); default: unbounded.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxTasksPerChild"/> is less than 1,
    /// <paramref name="maxQueued"/> is negative, or <paramref name="callTimeout"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The initializer's arguments do not serialize with <paramref name="jsonOptions"/>.</exception>
    /// <exception cref="InvalidOperationException">This process is a worker that did not start serving (see <see cref="RunWorkerIfRequested"/>),
    /// or the application's executable cannot be found.</exception>
    public ProcessPoolExecutor(
        int? maxWorkers = null,
        int? maxTasksPerChild = null,
        JsonSerializerOptions? jsonOptions = null,
        bool breakOnWorkerDeath = false,
        TimeSpan? callTimeout = null,
        ProcessPoolInitializer? initializer = null,
        int? maxQueued = null)
        : this(
            new ProcessPoolOptions
            {
                MaxWorkers = maxWorkers,
                MaxTasksPerChild = maxTasksPerChild,
                JsonOptions = jsonOptions,
                BreakOnWorkerDeath = breakOnWorkerDeath,
                CallTimeout = callTimeout,
                Initializer = initializer,
                MaxQueued = maxQueued,
            },
            optionsName: null)
    {
    }

    /// <summary>Creates a process pool from <paramref name="options"/> (read once; later changes have no effect).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range or a time span is not positive.</exception>
    /// <exception cref="ArgumentException">A name or the worker executable is empty, or the initializer's arguments do not serialize.</exception>
    /// <exception cref="InvalidOperationException">This process is a worker that did not start serving (see <see cref="RunWorkerIfRequested"/>),
    /// or the application's executable cannot be found.</exception>
    public ProcessPoolExecutor(ProcessPoolOptions options)
        : this(options, nameof(options))
    {
    }

    /// <param name="options">The settings, validated here once.</param>
    /// <param name="optionsName">The parameter errors name (see <see cref="ProcessPoolOptions.Validate"/>).</param>
    private ProcessPoolExecutor(ProcessPoolOptions options, string? optionsName)
        : base(ValidatedName(options, optionsName))
    {
        if (WorkerMain.IsRequested)
        {
            // Without this, a worker whose Main never reached RunWorkerIfRequested would start pools of its own, recursively.
            throw new InvalidOperationException(
                "This process was started as a process-pool worker but never started serving: call ProcessPoolExecutor.RunWorkerIfRequested() " +
                "as the first statement of Main (the Pipelines generator does it for executables that declare [Submittable] methods).");
        }

        MaxWorkers = options.MaxWorkers ?? Environment.ProcessorCount;
        MaxTasksPerChild = options.MaxTasksPerChild;
        MaxQueued = options.MaxQueued;
        MaxMessageBytes = options.MaxMessageBytes ?? WorkerProtocol.DefaultMaxFrameLength;
        JsonOptions = options.JsonOptions ?? RemoteCalls.DefaultJsonOptions();
        BreakOnWorkerDeath = options.BreakOnWorkerDeath;
        CallTimeout = options.CallTimeout == Timeout.InfiniteTimeSpan ? null : options.CallTimeout;
        RunTimeLimit = CallTimeout; // the calls' own clocks enforce it; the pool stops the worker of a call cancelled
        StartsRunClocks = true;     // when its worker serves it: a new worker's start-up does not count
        Initializer = options.Initializer;
        RemoteExceptions = options.RemoteExceptions ?? RemoteExceptionFactory.Default;
        if (MaxQueued is int queued)
        {
            SetMaxUnfinishedCalls((int)Math.Min(int.MaxValue - 1, (long)MaxWorkers + queued));
        }

        (string fileName, string[] arguments) = WorkerHandle.ResolveCommand(options);
        string? jsonContext = JsonOptions.TypeInfoResolver is JsonSerializerContext context ? context.GetType().AssemblyQualifiedName : null;
        _launch = new WorkerLaunch(fileName, arguments, jsonContext, Initializer, Initializer?.SerializeArguments(JsonOptions, optionsName ?? "initializer") ?? Array.Empty<byte>(),
            MaxMessageBytes, options.WorkerStartTimeout ?? s_defaultStartTimeout);
    }

    /// <summary>The most worker processes this pool runs at once.</summary>
    public int MaxWorkers { get; }

    /// <summary>Calls a worker runs before it is replaced, or <see langword="null"/> if workers live as long as the pool.</summary>
    public int? MaxTasksPerChild { get; }

    /// <summary>How many calls may wait beyond <see cref="MaxWorkers"/> before a submit waits for room, or <see langword="null"/> for no bound.</summary>
    public int? MaxQueued { get; }

    /// <summary>The largest message, in bytes, that goes to or comes from a worker (<see cref="ProcessPoolOptions.MaxMessageBytes"/>).</summary>
    public int MaxMessageBytes { get; }

    /// <summary>The options that serialize arguments and results.</summary>
    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>True if a worker dying breaks the pool (CPython's behaviour); false if it is replaced.</summary>
    public bool BreakOnWorkerDeath { get; }

    /// <summary>How long one call may run before its worker is killed and the call cancelled, or <see langword="null"/>.</summary>
    public TimeSpan? CallTimeout { get; }

    /// <summary>What each worker runs once before its first call, or <see langword="null"/>.</summary>
    public ProcessPoolInitializer? Initializer { get; }

    /// <inheritdoc/>
    /// <remarks>Its <see cref="MaxWorkers"/>.</remarks>
    protected internal override int Concurrency => MaxWorkers;

    /// <summary>Worker processes alive now (busy or idle, not counting ones that are exiting).</summary>
    public int WorkerCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>The process ids of the workers alive now (busy or idle).</summary>
    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_gate)
            {
                return _live.Select(w => w.ProcessId).ToArray();
            }
        }
    }

    /// <summary>
    /// Makes this process a worker if a <see cref="ProcessPoolExecutor"/> started it: serves calls, then exits the
    /// process without returning. In any other process it returns at once. Call it as the first statement of
    /// <c>Main</c> when the executable declares no [Submittable] methods of its own (otherwise the generator's module
    /// initializer has already called it, through this method: it is the one public entry point of the worker side).
    /// </summary>
    public static void RunWorkerIfRequested() => WorkerMain.RunIfRequested();

    /// <inheritdoc/>
    protected override void Dispatch(IRemoteWorkItem item) => DispatchReady(item, readiedBy: null);

    /// <summary>Queues a ready call: ahead of the calls ready at submit when a completion made it ready, so a pipeline's first results come first.</summary>
    private protected override void DispatchReady(IRemoteWorkItem item, Future? readiedBy)
    {
        if (item.Call is null)
        {
            item.SetException(new NotSupportedException(
                $"'{Name}' runs calls in other processes, so it runs only static, non-generic [Submittable] methods submitted through their " +
                $"generated Submit… stubs, whose arguments and result are serialized. {item.Future.GetType().Name} is a delegate, instance-method " +
                "or generic-method call; submit it to a ThreadPoolExecutor instead."));
            return;
        }

        lock (_gate)
        {
            (readiedBy is null ? _roots : _readied).Enqueue(item);
        }

        Pump();
    }

    /// <inheritdoc/>
    protected override void OnShutdown(bool cancelFutures)
    {
        if (!cancelFutures)
        {
            return;
        }

        IRemoteWorkItem[] queued;
        lock (_gate)
        {
            queued = _readied.Concat(_roots).ToArray();
            _readied.Clear();
            _roots.Clear();
        }

        foreach (IRemoteWorkItem item in queued)
        {
            item.Future.Cancel();
        }
    }

    /// <inheritdoc/>
    protected override void OnDrained()
    {
        lock (_gate)
        {
            _stopping = true;
            _readied.Clear(); // everything in them is done
            _roots.Clear();
            foreach (WorkerHandle worker in _idle)
            {
                worker.RequestExit();
                _live.Remove(worker);
            }

            _idle.Clear();
        }
    }

    /// <inheritdoc/>
    protected override void WaitForWorkers()
    {
        WorkerHandle[] workers;
        lock (_gate)
        {
            workers = _started.ToArray();
        }

        foreach (WorkerHandle worker in workers)
        {
            if (worker.ReaderThread == Thread.CurrentThread)
            {
                continue; // shutting down from a completion callback of this worker; it is exiting already
            }

            if (!worker.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                worker.Kill();
                worker.WaitForExit(Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Validates <paramref name="options"/> (once, before the base constructor runs) and returns the pool's name.</summary>
    private static string ValidatedName(ProcessPoolOptions options, string? optionsName)
    {
        ArgumentNullException.ThrowIfNull(options, optionsName ?? nameof(options));
        options.Validate(optionsName);
        return options.Name ?? $"ProcessPoolExecutor-{Interlocked.Increment(ref s_poolCount) - 1}";
    }
}
