using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Hosting;
using Orleans.Serialization;
using Pipelines;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Pipelines.Orleans.Silo;

// In Orleans' own namespace, not Pipelines.Orleans: the convention for builder extensions (Orleans and its providers
// put UseLocalhostClustering, UseRedisClustering, AddMemoryGrainStorage… there), so AddPipelines shows up wherever
// ISiloBuilder and IClientBuilder are used, without another using directive. The only file of this package outside
// Pipelines.Orleans, so it stays at the project root rather than in a folder of its own.
namespace Orleans.Hosting;

/// <summary>Registers Pipelines on Orleans silos and clients.</summary>
public static class PipelinesOrleansExtensions
{
    /// <summary>
    /// Lets this silo run Pipelines calls: the [Submittable] methods of <paramref name="assemblies"/> (typically a library
    /// that both the client and the silos reference) are registered at once by running their generated module initializers.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="siloBuilder"/> or <paramref name="assemblies"/> (or one of them) is null.</exception>
    public static ISiloBuilder AddPipelines(this ISiloBuilder siloBuilder, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return siloBuilder.AddPipelines(options =>
        {
            for (int i = 0; i < assemblies.Length; i++)
            {
                options.Assemblies.Add(assemblies[i] ?? throw new ArgumentNullException(nameof(assemblies), $"assemblies[{i}] is null."));
            }
        });
    }

    /// <summary>Lets this silo run Pipelines calls, configured by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="siloBuilder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (when the silo starts; the message names it).</exception>
    public static ISiloBuilder AddPipelines(this ISiloBuilder siloBuilder, Action<PipelinesSiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        ArgumentNullException.ThrowIfNull(configure);

        // Run the module initializers now, so a misconfigured assembly fails at configuration rather than on a call.
        var probe = new PipelinesSiloOptions();
        configure(probe);
        probe.Validate(nameof(configure));
        SiloCallRunner.RegisterAssemblies(probe);

        siloBuilder.Services.Configure(configure);
        siloBuilder.Services.TryAddSingleton(static services =>
        {
            PipelinesSiloOptions options = services.GetRequiredService<IOptions<PipelinesSiloOptions>>().Value;
            options.Validate(nameof(options));
            TimeSpan referencePoll = PipelinesSiloOptions.EffectivePollInterval(options.ReferencePollInterval,
                services.GetService<IOptions<SiloMessagingOptions>>()?.Value.ResponseTimeout, nameof(PipelinesSiloOptions.ReferencePollInterval), nameof(options));
            return new SiloCallRunner(options, referencePoll);
        });

        // Where calls run: a shard's key names its silo (clients choose), and the clients follow each silo's view of the
        // cluster; a silo asked to stop drains first.
        if (!siloBuilder.Services.Any(static d => d.ServiceType == typeof(ClusterViewService)))
        {
            siloBuilder.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
            siloBuilder.Services.AddSingleton<ClusterViewService>();
            siloBuilder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static services => services.GetRequiredService<ClusterViewService>());
            siloBuilder.Services.AddSingleton<SiloDrain>();
            siloBuilder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static services => services.GetRequiredService<SiloDrain>());
        }

        siloBuilder.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(SiloCallRunner).Assembly));
        return siloBuilder;
    }

    /// <summary>
    /// Registers the client side of Pipelines on Orleans: <see cref="OrleansExecutorOptions"/> (configured by
    /// <paramref name="configure"/>), Pipelines' wire types with Orleans' serializer, and a singleton
    /// <see cref="OrleansExecutor"/> on the registered <see cref="IClusterClient"/>, also as the <see cref="IExecutor"/>
    /// unless one is registered already. The container shuts the executor down when it is disposed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two overloads extend different types (IServiceCollection, IClientBuilder), so no call is ambiguous between them; each has one optional parameter.")]
    public static IServiceCollection AddPipelinesOrleans(this IServiceCollection services, Action<OrleansExecutorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }
        else
        {
            services.AddOptions<OrleansExecutorOptions>();
        }

        services.AddSerializer(serializer => serializer.AddAssembly(typeof(SiloCallRunner).Assembly));
        if (!services.Any(static d => d.ServiceType == typeof(ClusterConnectionEvents)))
        {
            // A dropped gateway connection makes the executors ask again at once for replies that were on their way through it.
            services.AddSingleton<ClusterConnectionEvents>();
            services.AddSingleton<IClusterConnectionStatusObserver>(static provider => provider.GetRequiredService<ClusterConnectionEvents>());
        }

        services.TryAddSingleton(static provider => new OrleansExecutor(
            provider.GetRequiredService<IClusterClient>(),
            provider.GetRequiredService<IOptions<OrleansExecutorOptions>>().Value));
        services.TryAddSingleton<IExecutor>(static provider => provider.GetRequiredService<OrleansExecutor>());
        return services;
    }

    /// <summary>Registers the client side of Pipelines on an Orleans client builder; see <see cref="AddPipelinesOrleans(IServiceCollection, Action{OrleansExecutorOptions}?)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clientBuilder"/> is null.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two overloads extend different types (IServiceCollection, IClientBuilder), so no call is ambiguous between them; each has one optional parameter.")]
    public static IClientBuilder AddPipelinesOrleans(this IClientBuilder clientBuilder, Action<OrleansExecutorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(clientBuilder);
        clientBuilder.Services.AddPipelinesOrleans(configure);
        return clientBuilder;
    }
}
