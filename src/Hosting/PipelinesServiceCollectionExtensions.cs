using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipelines.Hosting;

/// <summary>Registers Pipelines with a host: <c>builder.Services.AddPipelines()</c>.</summary>
public static class PipelinesServiceCollectionExtensions
{
    /// <summary>
    /// Registers Pipelines' executors. Reads the <c>Pipelines</c> section of the host's <see cref="IConfiguration"/> (if
    /// there is one), then applies <paramref name="configure"/>. Registers:
    /// <list type="bullet">
    /// <item><see cref="IExecutor"/> (and <see cref="Executor"/>): the default executor (<see cref="PipelinesOptions.DefaultExecutor"/>);</item>
    /// <item><c>[FromKeyedServices("name")] IExecutor</c>: any named executor;</item>
    /// <item><see cref="PipelinesExecutors"/>: all of them by name;</item>
    /// <item>a hosted service that makes them when the host starts, and when it stops, after the other hosted services,
    /// shuts them down: it waits for their accepted work, and once the host's shutdown timeout fires, cancels what has
    /// not started and signals running calls through their <c>CancellationToken</c>;</item>
    /// <item><see cref="ILogger"/> reporting (category <c>Pipelines</c>): executors started and stopped, throwing
    /// done-callbacks, unobserved faulted futures.</item>
    /// </list>
    /// Calling it again adds <paramref name="configure"/> to the first registration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration was read, e.g. <c>o => o.AddThreadPool("io", maxWorkers: 64)</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddPipelines(this IServiceCollection services, Action<PipelinesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Registration(services).Configure.Add((_, options) => configure?.Invoke(options));
        return services;
    }

    /// <summary>
    /// Registers Pipelines' executors as <see cref="AddPipelines(IServiceCollection, Action{PipelinesOptions}?)"/> does,
    /// reading <paramref name="configuration"/> (the <c>Pipelines</c> section itself, e.g. <c>builder.Configuration.GetSection("Pipelines")</c>)
    /// instead of the host's.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to read: <c>DefaultExecutor</c>, <c>LogUnobservedExceptions</c>, <c>Executors:{name}:MaxWorkers</c>, <c>Executors:{name}:ThreadNamePrefix</c>.</param>
    /// <param name="configure">Changes the options after <paramref name="configuration"/> was read.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddPipelines(this IServiceCollection services, IConfiguration configuration, Action<PipelinesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        PipelinesRegistration registration = Registration(services);
        registration.Section = configuration;
        registration.Configure.Add((_, options) => configure?.Invoke(options));
        return services;
    }

    private static PipelinesRegistration Registration(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(PipelinesRegistration))?.ImplementationInstance is PipelinesRegistration existing)
        {
            return existing;
        }

        var registration = new PipelinesRegistration();
        services.AddSingleton(registration);
        services.AddSingleton(provider => registration.Build(provider));
        services.AddSingleton(provider => new PipelinesExecutors(
            provider.GetRequiredService<PipelinesOptions>(),
            provider,
            provider.GetService<ILoggerFactory>()?.CreateLogger(Log.Category) ?? NullLogger.Instance));
        services.AddSingleton<Executor>(provider => provider.GetRequiredService<PipelinesExecutors>().Default);
        services.AddSingleton<IExecutor>(provider => provider.GetRequiredService<Executor>());
        services.AddKeyedSingleton<IExecutor>(KeyedService.AnyKey, static (provider, key) => Named(provider, key));
        services.AddKeyedSingleton<Executor>(KeyedService.AnyKey, static (provider, key) => Named(provider, key));
        services.AddSingleton(provider => new PipelinesHostedService(
            provider.GetRequiredService<PipelinesExecutors>(),
            provider.GetRequiredService<PipelinesOptions>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger(Log.Category) ?? NullLogger.Instance));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<PipelinesHostedService>());
        return registration;
    }

    private static Executor Named(IServiceProvider provider, object? key) =>
        provider.GetRequiredService<PipelinesExecutors>().Get(key as string
            ?? throw new InvalidOperationException($"Pipelines executors are keyed by name (a string); got {key?.GetType().Name ?? "null"}."));

    /// <summary>What AddPipelines collected: a configuration section and the code that changes the options.</summary>
    private sealed class PipelinesRegistration
    {
        public IConfiguration? Section { get; set; }

        public List<Action<IServiceProvider, PipelinesOptions>> Configure { get; } = new();

        public PipelinesOptions Build(IServiceProvider provider)
        {
            var options = new PipelinesOptions();
            IConfiguration? section = Section ?? provider.GetService<IConfiguration>()?.GetSection(PipelinesOptions.SectionName);
            if (section is not null)
            {
                options.Read(section);
            }

            foreach (Action<IServiceProvider, PipelinesOptions> configure in Configure)
            {
                configure(provider, options);
            }

            return options;
        }
    }
}
