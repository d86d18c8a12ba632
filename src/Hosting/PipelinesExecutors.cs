using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Pipelines.Hosting;

/// <summary>
/// The host's executors, by name: each made once, when first asked for (or when the host starts), and shut down with
/// the host. Injected as a singleton; <see cref="IExecutor"/> and <c>[FromKeyedServices("name")] IExecutor</c> resolve through it.
/// </summary>
public sealed class PipelinesExecutors : IAsyncDisposable
{
    private readonly PipelinesOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Executor> _created = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Executor> _order = new();
    private bool _stopped;

    internal PipelinesExecutors(PipelinesOptions options, IServiceProvider services, ILogger logger)
    {
        _options = options;
        _services = services;
        _logger = logger;
    }

    /// <summary>The executor injected as plain <see cref="IExecutor"/> (<see cref="PipelinesOptions.DefaultExecutor"/>).</summary>
    public Executor Default => Get(_options.DefaultExecutor);

    /// <summary>The configured names, the default's included.</summary>
    public IReadOnlyCollection<string> Names =>
        _options.Executors.Keys.Append(_options.DefaultExecutor).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The executor named <paramref name="name"/> (case-insensitive), made now if this is the first time.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No executor of that name is configured, or the host has stopped.</exception>
    public Executor Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_created)
        {
            if (_created.TryGetValue(name, out Executor? existing))
            {
                return existing;
            }

            if (_stopped)
            {
                throw new InvalidOperationException($"The Pipelines executor '{name}' was asked for after the host stopped.");
            }

            bool isDefault = string.Equals(name, _options.DefaultExecutor, StringComparison.OrdinalIgnoreCase);
            if (!_options.Executors.TryGetValue(name, out PipelinesExecutorOptions? options) && !isDefault)
            {
                throw new InvalidOperationException(
                    $"No Pipelines executor named '{name}' is configured. Configured: {string.Join(", ", Names.Select(n => $"'{n}'"))}. " +
                    $"Add it under configuration '{PipelinesOptions.SectionName}:Executors:{name}' or with options.AddThreadPool(\"{name}\").");
            }

            Executor executor = Create(name, options ?? new PipelinesExecutorOptions());
            _created[name] = executor;
            _order.Add(executor);
            executor.CallbackFaulted += OnCallbackFaulted;
            return executor;
        }
    }

    /// <summary>Shuts down what is left without waiting, cancelling work that has not started (the host's stop already drained it).</summary>
    public ValueTask DisposeAsync()
    {
        foreach (Executor executor in TakeAll())
        {
            executor.Shutdown(wait: false, cancelFutures: true);
        }

        return default;
    }

    /// <summary>Every executor made so far, and no more from now on.</summary>
    internal Executor[] TakeAll()
    {
        lock (_created)
        {
            _stopped = true;
            return _order.ToArray();
        }
    }

    private Executor Create(string name, PipelinesExecutorOptions options)
    {
        if (options.Factory is { } factory)
        {
            Executor made = factory(_services) ?? throw new InvalidOperationException($"The factory of the Pipelines executor '{name}' returned null.");
            Log.ExecutorStarted(_logger, made.Name, made.GetType().Name, null);
            return made;
        }

        var pool = new ThreadPoolExecutor(options.MaxWorkers, options.ThreadNamePrefix ?? name);
        Log.ExecutorStarted(_logger, pool.Name, nameof(ThreadPoolExecutor), pool.MaxWorkers);
        return pool;
    }

    private void OnCallbackFaulted(object? sender, FutureCallbackExceptionEventArgs e) =>
        Log.CallbackFaulted(_logger, Describe(e.Future), (sender as Executor)?.Name ?? "?", e.Exception);

    internal static string Describe(Future future)
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
