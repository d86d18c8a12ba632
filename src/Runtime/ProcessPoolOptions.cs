using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;

namespace Pipelines;

/// <summary>Settings of a <see cref="ProcessPoolExecutor"/>, for the constructor that takes them all.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>The most worker processes the pool runs at once; default <see cref="Environment.ProcessorCount"/>.</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>
    /// How many calls a worker process runs before it is replaced by a fresh one (Python's <c>max_tasks_per_child</c>),
    /// to bound leaks; <see langword="null"/> (the default) reuses workers for as long as the pool lives.
    /// </summary>
    public int? MaxTasksPerChild { get; set; }

    /// <summary>
    /// How arguments and results are serialized; default <see cref="JsonSerializerOptions.Default"/> (reflection-based).
    /// For trimmed or native-AOT applications pass a source-generated context's options, <c>MyContext.Default.Options</c>:
    /// workers then use the same context's <c>Default</c> options.
    /// </summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>
    /// CPython's strict behaviour: a worker that dies while running a call breaks the pool, and pending and later
    /// submits fail with <see cref="BrokenProcessPoolException"/>. By default (false) the call that was running fails,
    /// the worker is replaced, and the pool keeps going.
    /// </summary>
    public bool BreakOnWorkerDeath { get; set; }

    /// <summary>
    /// How long one call may run in its worker, counted from when the worker is serving (a new worker's start-up does not
    /// count); when it is exceeded the worker is killed (and replaced) and the call ends <see cref="FutureState.Cancelled"/>.
    /// It is the same clock as a method's <c>[Submittable(TimeoutMilliseconds = ms)]</c>: with both, the shorter wins.
    /// <see langword="null"/> (the default) lets calls run for as long as they take.
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>
    /// Bounds the queue, as <see cref="ThreadPoolExecutor"/>'s <c>maxQueued</c> does: a submit beyond
    /// <see cref="MaxWorkers"/> + <see cref="MaxQueued"/> unfinished calls waits for room (except from inside the pool's own
    /// callbacks, where waiting could deadlock; <see cref="Remoting.RemoteExecutor.WaitForRoomAsync"/> waits without blocking).
    /// <see langword="null"/> (the default) lets the queue grow.
    /// </summary>
    public int? MaxQueued { get; set; }

    /// <summary>
    /// A [Submittable] method and its arguments that each worker runs once, before its first call (Python's
    /// <c>initializer</c>/<c>initargs</c>): made by the generated <c>{Type}Stubs.Initialize{Method}(…)</c>. If it throws, the
    /// pool is broken: queued, running and later calls fail with <see cref="BrokenProcessPoolException"/> carrying the
    /// worker's exception.
    /// </summary>
    public ProcessPoolInitializer? Initializer { get; set; }

    /// <summary>
    /// The largest message, in bytes, that goes to a worker or is accepted from one (a call's arguments, a result, an
    /// exception); default 256 MiB. A call whose arguments are larger fails with <see cref="InvalidOperationException"/>;
    /// a result larger than this fails its call in the worker; a worker that announces a larger message is killed and its
    /// call fails with <see cref="BrokenProcessPoolException"/> — checked before anything is allocated.
    /// </summary>
    public int? MaxMessageBytes { get; set; }

    /// <summary>
    /// How exceptions thrown in the workers are rebuilt here; default <see cref="Remoting.RemoteExceptionFactory.Default"/>
    /// (any exception type already loaded in this process). Pass one with an allow-list to rebuild only the types you name.
    /// </summary>
    public Remoting.RemoteExceptionFactory? RemoteExceptions { get; set; }

    /// <summary>How long a new worker process may take to start serving before it is killed; default 60 seconds.</summary>
    public TimeSpan? WorkerStartTimeout { get; set; }

    /// <summary>
    /// The program to start as a worker; by default the current application (<see cref="Environment.ProcessPath"/>,
    /// plus the entry assembly when the host is <c>dotnet</c>). The program must call
    /// <see cref="ProcessPoolExecutor.RunWorkerIfRequested"/> before anything else.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>Command-line arguments for <see cref="WorkerExecutable"/>; ignored when it is not set.</summary>
    public IList<string> WorkerArguments { get; } = new List<string>();

    /// <summary>The executor's name, used in error messages; default <c>ProcessPoolExecutor-{k}</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Checks every setting; the pool's constructor calls it once. <paramref name="paramName"/> is the options parameter
    /// the errors name, or null when the settings came from the constructor's own parameters: each error then names
    /// the parameter that was wrong (<c>maxWorkers</c>, <c>maxTasksPerChild</c>, <c>callTimeout</c>).
    /// </summary>
    internal void Validate(string? paramName)
    {
        if (MaxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName ?? "maxWorkers", MaxWorkers, $"{Setting(paramName, "maxWorkers", nameof(MaxWorkers))} must be greater than 0.");
        }

        if (MaxTasksPerChild is <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName ?? "maxTasksPerChild", MaxTasksPerChild,
                $"{Setting(paramName, "maxTasksPerChild", nameof(MaxTasksPerChild))} must be greater than 0; leave it null to reuse workers for as long as the pool lives.");
        }

        if (CallTimeout is { } callTimeout && callTimeout != Timeout.InfiniteTimeSpan && (callTimeout <= TimeSpan.Zero || callTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(paramName ?? "callTimeout", callTimeout,
                $"{Setting(paramName, "callTimeout", nameof(CallTimeout))} must be positive (and at most about 24 days), or null for no limit.");
        }

        if (MaxQueued is < 0)
        {
            throw new ArgumentOutOfRangeException(paramName ?? "maxQueued", MaxQueued,
                $"{Setting(paramName, "maxQueued", nameof(MaxQueued))} must be 0 or more, or null for an unbounded queue.");
        }

        // The settings below have no constructor parameter of their own: only the options carry them.
        if (MaxMessageBytes is < 1024)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxMessageBytes, "ProcessPoolOptions.MaxMessageBytes must be at least 1024, or null for the default (256 MiB).");
        }

        if (WorkerStartTimeout is { } startTimeout && (startTimeout <= TimeSpan.Zero || startTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(paramName, startTimeout, "ProcessPoolOptions.WorkerStartTimeout must be positive, or null for the default.");
        }

        if (WorkerExecutable is not null && string.IsNullOrWhiteSpace(WorkerExecutable))
        {
            throw new ArgumentException("ProcessPoolOptions.WorkerExecutable must not be empty; leave it null to start this application.", paramName);
        }

        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("ProcessPoolOptions.Name must not be empty; leave it null for the default.", paramName);
        }
    }

    private static string Setting(string? paramName, string parameter, string property) =>
        paramName is null ? parameter : $"{nameof(ProcessPoolOptions)}.{property}";
}
