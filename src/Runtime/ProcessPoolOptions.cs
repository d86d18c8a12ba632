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
    /// <see langword="null"/> (the default) lets calls run for as long as they take.
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

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

        // The settings below have no constructor parameter of their own: only the options carry them.
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
