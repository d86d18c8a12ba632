using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace Pipelines.Hosting;

/// <summary>
/// What <see cref="PipelinesServiceCollectionExtensions.AddPipelines(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{PipelinesOptions}?)"/>
/// sets up: named executors, which one is the default, and what is logged. Read from configuration (section
/// <c>Pipelines</c>), then changed by code.
/// </summary>
/// <example>
/// <code>
/// {
///   "Pipelines": {
///     "DefaultExecutor": "cpu",
///     "Executors": {
///       "cpu": { "MaxWorkers": 8 },
///       "io":  { "MaxWorkers": 64, "ThreadNamePrefix": "io-worker" }
///     }
///   }
/// }
/// </code>
/// </example>
public sealed class PipelinesOptions
{
    /// <summary>The configuration section read by default: <c>Pipelines</c>.</summary>
    public const string SectionName = "Pipelines";

    /// <summary>The name of the executor injected as plain <see cref="IExecutor"/>; <c>default</c> unless set. It need not
    /// be listed in <see cref="Executors"/>: an unlisted one is a <see cref="ThreadPoolExecutor"/> with default settings.</summary>
    public string DefaultExecutor { get; set; } = "default";

    /// <summary>The executors by name (case-insensitive), each injectable as <c>[FromKeyedServices("name")] IExecutor</c>.</summary>
    public IDictionary<string, PipelinesExecutorOptions> Executors { get; } = new Dictionary<string, PipelinesExecutorOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Log, as errors, the failures nobody else hears about anywhere in the process: a faulted future collected with its
    /// exception unobserved (<see cref="Future.UnobservedException"/>) and a throwing done-callback of a future whose
    /// executor has no handler (<see cref="Future.UnobservedCallbackException"/>). Default true. Done-callbacks of the
    /// hosted executors are always logged (<see cref="Executor.CallbackFaulted"/>).
    /// </summary>
    public bool LogUnobservedExceptions { get; set; } = true;

    /// <summary>Adds (or changes) a <see cref="ThreadPoolExecutor"/> named <paramref name="name"/>.</summary>
    /// <param name="name">The executor's name: its key for injection, and its threads' name prefix unless <paramref name="threadNamePrefix"/> is given.</param>
    /// <param name="maxWorkers">Its most worker threads; default <c>min(32, cores + 4)</c>.</param>
    /// <param name="threadNamePrefix">Its threads are named <c>{prefix}_{n}</c>; default <paramref name="name"/>.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative.</exception>
    public PipelinesOptions AddThreadPool(string name, int? maxWorkers = null, string? threadNamePrefix = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (maxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "maxWorkers must be greater than 0.");
        }

        PipelinesExecutorOptions executor = Get(name);
        executor.MaxWorkers = maxWorkers ?? executor.MaxWorkers;
        executor.ThreadNamePrefix = threadNamePrefix ?? executor.ThreadNamePrefix;
        executor.Factory = null;
        return this;
    }

    /// <summary>Adds an executor made by <paramref name="factory"/> (any Pipelines executor: a process pool, a task-scheduler executor…); the host shuts it down like the others.</summary>
    /// <param name="name">Its name, its key for injection.</param>
    /// <param name="factory">Makes it, once, when it is first needed.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public PipelinesOptions AddExecutor(string name, Func<IServiceProvider, Executor> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        Get(name).Factory = factory;
        return this;
    }

    /// <summary>
    /// Binds <c>DefaultExecutor</c>, <c>LogUnobservedExceptions</c> and <c>Executors:{name}:MaxWorkers|ThreadNamePrefix</c>
    /// from <paramref name="section"/> with the configuration binder, then checks what it bound. An empty value leaves
    /// its setting unset.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is not valid; the message names its configuration key.</exception>
    internal void Read(IConfiguration section)
    {
        string defaultExecutor = DefaultExecutor;
        section.Bind(this);
        if (DefaultExecutor.Length == 0)
        {
            DefaultExecutor = defaultExecutor;
        }

        foreach ((string name, PipelinesExecutorOptions executor) in Executors)
        {
            if (executor.MaxWorkers is <= 0)
            {
                throw Invalid(section, $"Executors:{name}:MaxWorkers", "a whole number greater than 0");
            }

            if (executor.ThreadNamePrefix is { } prefix && string.IsNullOrWhiteSpace(prefix))
            {
                throw Invalid(section, $"Executors:{name}:ThreadNamePrefix", "a non-empty name");
            }
        }
    }

    private static InvalidOperationException Invalid(IConfiguration section, string key, string expected)
    {
        string path = section is IConfigurationSection named ? $"{named.Path}:{key}" : key;
        return new InvalidOperationException($"Configuration value '{path}' is '{section[key]}'; expected {expected}.");
    }

    private PipelinesExecutorOptions Get(string name)
    {
        if (!Executors.TryGetValue(name, out PipelinesExecutorOptions? executor))
        {
            executor = new PipelinesExecutorOptions();
            Executors[name] = executor;
        }

        return executor;
    }
}

/// <summary>One named executor of <see cref="PipelinesOptions.Executors"/>: a <see cref="ThreadPoolExecutor"/> unless made by a factory.</summary>
public sealed class PipelinesExecutorOptions
{
    /// <summary>The most worker threads; null for the default, <c>min(32, cores + 4)</c>.</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>The worker threads' name prefix, which is also the executor's <see cref="Executor.Name"/> (in logs and metrics); null for the executor's configured name.</summary>
    public string? ThreadNamePrefix { get; set; }

    /// <summary>Makes the executor instead (<see cref="PipelinesOptions.AddExecutor"/>); null for a thread pool.</summary>
    internal Func<IServiceProvider, Executor>? Factory { get; set; }
}
