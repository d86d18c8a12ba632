using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using Pipelines.Advanced;
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
public sealed class ProcessPoolExecutor : RemoteExecutor
{
    private static readonly TimeSpan s_defaultStartTimeout = TimeSpan.FromSeconds(60);
    private static int s_poolCount;

    private readonly object _gate = new();
    private readonly Queue<IRemoteWorkItem> _queue = new();
    private readonly List<WorkerHandle> _live = new();    // started and not retiring: busy or idle
    private readonly Stack<WorkerHandle> _idle = new();
    private readonly List<WorkerHandle> _started = new(); // every worker not yet known to have exited
    private readonly string _workerFileName;
    private readonly string[] _workerArguments;
    private readonly string? _jsonContext;
    private readonly TimeSpan _startTimeout;
    private bool _stopping;

    /// <summary>Creates a process pool.</summary>
    /// <param name="maxWorkers">The most worker processes at once; default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="maxTasksPerChild">Calls a worker runs before it is replaced by a fresh process; default: never replaced.</param>
    /// <param name="jsonOptions">How arguments and results are serialized; see <see cref="ProcessPoolOptions.JsonOptions"/>.</param>
    /// <param name="breakOnWorkerDeath">CPython's strict behaviour: a worker dying mid-call breaks the pool. Default: replace it and continue.</param>
    /// <param name="callTimeout">How long one call may run before its worker is killed and the call cancelled; default: no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxTasksPerChild"/> is less than 1,
    /// or <paramref name="callTimeout"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">This process is a worker that did not start serving (see <see cref="RunWorkerIfRequested"/>),
    /// or the application's executable cannot be found.</exception>
    public ProcessPoolExecutor(int? maxWorkers = null, int? maxTasksPerChild = null, JsonSerializerOptions? jsonOptions = null, bool breakOnWorkerDeath = false, TimeSpan? callTimeout = null)
        : this(Validate(
            new ProcessPoolOptions { MaxWorkers = maxWorkers, MaxTasksPerChild = maxTasksPerChild, JsonOptions = jsonOptions, BreakOnWorkerDeath = breakOnWorkerDeath, CallTimeout = callTimeout },
            nameof(maxWorkers), nameof(maxTasksPerChild), nameof(callTimeout), nameof(callTimeout)))
    {
    }

    /// <summary>Creates a process pool from <paramref name="options"/> (read once; later changes have no effect).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is less than 1 or a time span is not positive.</exception>
    /// <exception cref="ArgumentException">A name or the worker executable is empty.</exception>
    /// <exception cref="InvalidOperationException">This process is a worker that did not start serving (see <see cref="RunWorkerIfRequested"/>),
    /// or the application's executable cannot be found.</exception>
    public ProcessPoolExecutor(ProcessPoolOptions options)
        : base(NameOf(options))
    {
        Validate(options, nameof(options), nameof(options), nameof(options), nameof(options));
        if (WorkerMain.IsRequested)
        {
            // Without this, a worker whose Main never reached RunWorkerIfRequested would start pools of its own, recursively.
            throw new InvalidOperationException(
                "This process was started as a process-pool worker but never started serving: call ProcessPoolExecutor.RunWorkerIfRequested() " +
                "as the first statement of Main (the Pipelines generator does it for executables that declare [Submittable] methods).");
        }

        MaxWorkers = options.MaxWorkers ?? Environment.ProcessorCount;
        MaxTasksPerChild = options.MaxTasksPerChild;
        JsonOptions = options.JsonOptions ?? WorkerMain.DefaultJsonOptions();
        BreakOnWorkerDeath = options.BreakOnWorkerDeath;
        CallTimeout = options.CallTimeout == Timeout.InfiniteTimeSpan ? null : options.CallTimeout;
        _startTimeout = options.WorkerStartTimeout ?? s_defaultStartTimeout;
        _jsonContext = JsonOptions.TypeInfoResolver is JsonSerializerContext context ? context.GetType().AssemblyQualifiedName : null;
        (_workerFileName, _workerArguments) = ResolveWorkerCommand(options);
    }

    /// <summary>The most worker processes this pool runs at once.</summary>
    public int MaxWorkers { get; }

    /// <summary>Calls a worker runs before it is replaced, or <see langword="null"/> if workers live as long as the pool.</summary>
    public int? MaxTasksPerChild { get; }

    /// <summary>The options that serialize arguments and results.</summary>
    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>True if a worker dying mid-call breaks the pool (CPython's behaviour); false if it is replaced.</summary>
    public bool BreakOnWorkerDeath { get; }

    /// <summary>How long one call may run before its worker is killed and the call cancelled, or <see langword="null"/>.</summary>
    public TimeSpan? CallTimeout { get; }

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
    protected override void Dispatch(IRemoteWorkItem item)
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
            _queue.Enqueue(item);
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
            queued = _queue.ToArray();
            _queue.Clear();
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
            _queue.Clear(); // everything in it is done
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

    /// <summary>A worker returned a call's result (called on the worker's reader thread).</summary>
    internal void OnCallReturned(WorkerHandle worker, ActiveCall call, ReadOnlySpan<byte> json)
    {
        call.Release();
        ReturnWorker(worker);
        call.Item.SetResult(json, JsonOptions);
        Pump();
    }

    /// <summary>A call threw in its worker (called on the worker's reader thread).</summary>
    internal void OnCallThrew(WorkerHandle worker, ActiveCall call, Exception exception)
    {
        call.Release();
        ReturnWorker(worker);
        call.Item.SetException(exception);
        Pump();
    }

    /// <summary>A worker process exited; <paramref name="running"/> is the call it was running, if any (called on its reader thread).</summary>
    internal void OnWorkerExited(WorkerHandle worker, ActiveCall? running, int exitCode)
    {
        lock (_gate)
        {
            _live.Remove(worker);
            if (_idle.Contains(worker))
            {
                WorkerHandle[] others = _idle.Where(w => w != worker).Reverse().ToArray();
                _idle.Clear();
                foreach (WorkerHandle other in others)
                {
                    _idle.Push(other);
                }
            }
        }

        if (running is not null)
        {
            running.Release();
            if (running.KillReason is KillReason.Cancelled or KillReason.TimedOut)
            {
                running.Item.SetCanceled();
            }
            else
            {
                BrokenProcessPoolException exception = DeathException(worker, running, exitCode);
                if (BreakOnWorkerDeath || !worker.IsReady)
                {
                    Break(exception);
                }

                running.Item.SetException(exception);
            }
        }
        else if (!worker.IsReady && !worker.ExitRequested && !IsShutdown)
        {
            Break(DeathException(worker, null, exitCode));
        }

        lock (_gate)
        {
            _started.Remove(worker);
        }

        Pump();
    }

    private BrokenProcessPoolException DeathException(WorkerHandle worker, ActiveCall? running, int exitCode)
    {
        string call = running is null ? string.Empty : $" while running {running.MethodId}";
        string message = worker.IsReady
            ? $"A worker process (pid {worker.ProcessId}) of '{Name}' died with exit code {exitCode}{call}."
            : (worker.StartTimedOut
                ? $"A worker process (pid {worker.ProcessId}) of '{Name}' did not start serving within {_startTimeout} and was killed."
                : $"A worker process (pid {worker.ProcessId}) of '{Name}' exited with code {exitCode} before it started serving.") +
              $" A worker is this application started again ('{_workerFileName}'): it must call ProcessPoolExecutor.RunWorkerIfRequested() " +
              "before anything else (the Pipelines generator does it from a module initializer in executables that declare [Submittable] methods). " +
              "The pool is broken.";
        return new BrokenProcessPoolException(message, exitCode, worker.ProcessId);
    }

    /// <summary>Puts a worker that finished a call back to work, or retires it.</summary>
    private void ReturnWorker(WorkerHandle worker)
    {
        lock (_gate)
        {
            worker.CallsCompleted++;
            if (worker.IsKilled)
            {
                _live.Remove(worker); // dying; its exit is reported later
            }
            else if (_stopping || IsBroken || (MaxTasksPerChild is int max && worker.CallsCompleted >= max))
            {
                _live.Remove(worker);
                worker.RequestExit();
            }
            else
            {
                _idle.Push(worker);
            }
        }
    }

    /// <summary>Sends queued calls to idle workers, starting workers up to <see cref="MaxWorkers"/>.</summary>
    private void Pump()
    {
        List<ActiveCall>? sends = null;
        List<IRemoteWorkItem>? cancels = null;
        List<IRemoteWorkItem>? fails = null;
        BrokenExecutorException? broken;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            if (BrokenReason is null)
            {
                while (_queue.Count > 0)
                {
                    IRemoteWorkItem item = _queue.Peek();
                    if (item.Future.IsDone)
                    {
                        _queue.Dequeue();
                        continue;
                    }

                    if (IsCancellingPending)
                    {
                        (cancels ??= new()).Add(_queue.Dequeue());
                        continue;
                    }

                    WorkerHandle? worker;
                    try
                    {
                        worker = TakeWorker();
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
                    {
                        Break(new BrokenProcessPoolException($"'{Name}' could not start a worker process ('{_workerFileName}'): {ex.Message}", ex));
                        break;
                    }

                    if (worker is null)
                    {
                        break;
                    }

                    _queue.Dequeue();
                    if (!item.TryStart())
                    {
                        _idle.Push(worker);
                        if (IsCancellingPending)
                        {
                            (cancels ??= new()).Add(item);
                        }

                        continue;
                    }

                    (sends ??= new()).Add(worker.Assign(item, CallTimeout));
                }
            }

            broken = BrokenReason;
            if (broken is not null && _queue.Count > 0)
            {
                fails = _queue.ToList();
                _queue.Clear();
            }
        }

        if (cancels is not null)
        {
            foreach (IRemoteWorkItem item in cancels)
            {
                item.Future.Cancel();
            }
        }

        if (fails is not null)
        {
            foreach (IRemoteWorkItem item in fails)
            {
                item.SetException(broken!);
            }
        }

        if (sends is not null)
        {
            foreach (ActiveCall call in sends)
            {
                Send(call);
            }
        }
    }

    private void Send(ActiveCall call)
    {
        try
        {
            call.Worker.Send(call, JsonOptions);
        }
        catch (Exception ex)
        {
            // The arguments did not serialize; nothing reached the worker.
            if (call.Worker.TryTakeBack(call))
            {
                call.Release();
                lock (_gate)
                {
                    if (_stopping || IsBroken)
                    {
                        _live.Remove(call.Worker);
                        call.Worker.RequestExit();
                    }
                    else
                    {
                        _idle.Push(call.Worker);
                    }
                }

                call.Item.SetException(ex);
                Pump();
            }
        }
    }

    /// <summary>An idle worker, a new one if the pool may grow, or null. Called under the lock.</summary>
    private WorkerHandle? TakeWorker()
    {
        if (_idle.Count > 0)
        {
            return _idle.Pop();
        }

        if (_live.Count >= MaxWorkers)
        {
            return null;
        }

        WorkerHandle worker = WorkerHandle.Start(this, _workerFileName, _workerArguments, _jsonContext, _startTimeout);
        _live.Add(worker);
        _started.Add(worker);
        return worker;
    }

    private static string NameOf(ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Name is not null && string.IsNullOrWhiteSpace(options.Name))
        {
            throw new ArgumentException("Name must not be empty; leave it null for the default.", nameof(options));
        }

        return options.Name ?? $"ProcessPoolExecutor-{Interlocked.Increment(ref s_poolCount) - 1}";
    }

    private static ProcessPoolOptions Validate(ProcessPoolOptions options, string maxWorkersName, string maxTasksName, string callTimeoutName, string startTimeoutName)
    {
        if (options.MaxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(maxWorkersName, options.MaxWorkers, "maxWorkers must be greater than 0.");
        }

        if (options.MaxTasksPerChild is <= 0)
        {
            throw new ArgumentOutOfRangeException(maxTasksName, options.MaxTasksPerChild, "maxTasksPerChild must be greater than 0; pass null to reuse workers for as long as the pool lives.");
        }

        if (options.CallTimeout is { } callTimeout && callTimeout != Timeout.InfiniteTimeSpan && (callTimeout <= TimeSpan.Zero || callTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(callTimeoutName, callTimeout, "callTimeout must be positive (and at most about 24 days), or null for no limit.");
        }

        if (options.WorkerStartTimeout is { } startTimeout && (startTimeout <= TimeSpan.Zero || startTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(startTimeoutName, startTimeout, "WorkerStartTimeout must be positive, or null for the default.");
        }

        if (options.WorkerExecutable is not null && string.IsNullOrWhiteSpace(options.WorkerExecutable))
        {
            throw new ArgumentException("WorkerExecutable must not be empty; leave it null to start this application.", nameof(options));
        }

        return options;
    }

    /// <summary>How to start this application again: its apphost, or <c>dotnet</c> plus the entry assembly.</summary>
    private static (string FileName, string[] Arguments) ResolveWorkerCommand(ProcessPoolOptions options)
    {
        if (options.WorkerExecutable is not null)
        {
            return (options.WorkerExecutable, options.WorkerArguments.ToArray());
        }

        string processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("The path of this process's executable is unknown; set ProcessPoolOptions.WorkerExecutable.");
        string host = Path.GetFileNameWithoutExtension(processPath);
        if (!host.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return (processPath, Array.Empty<string>()); // an apphost or a native executable: it is the application
        }

        // `dotnet app.dll`: the host is dotnet; start it with the same entry assembly.
        string[] commandLine = Environment.GetCommandLineArgs();
        if (commandLine.Length > 0 && commandLine[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(commandLine[0]))
        {
            return (processPath, new[] { commandLine[0] });
        }

        string? entryName = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        string candidate = Path.Combine(AppContext.BaseDirectory, entryName + ".dll");
        if (entryName is not null && File.Exists(candidate))
        {
            return (processPath, new[] { candidate });
        }

        throw new InvalidOperationException("This application runs under 'dotnet' but its entry assembly could not be found; set ProcessPoolOptions.WorkerExecutable and WorkerArguments.");
    }
}
