using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Pipelines.OrleansTests;

internal static class Wait
{
    /// <summary>Long enough that only a real hang hits it, even on a loaded two-core machine.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    public static async Task<T> Bounded<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Long);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Hung: {what} did not finish within {Long.TotalSeconds} s.");
        }
    }

    public static async Task Bounded(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Long);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Hung: {what} did not finish within {Long.TotalSeconds} s.");
        }
    }
}

/// <summary>In-process test clusters with short failure detection, so a lost silo is declared dead within seconds.</summary>
internal static class TestClusters
{
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <param name="silos">How many silos.</param>
    /// <param name="configure">Pipelines' options on every silo, after the tests' defaults.</param>
    /// <param name="configureSilo">More of every silo's setup (a grain call filter that injects faults, say).</param>
    public static async Task<InProcessTestCluster> StartAsync(
        short silos, Action<PipelinesSiloOptions>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPipelines(options =>
            {
                options.Assemblies.Add(typeof(Jobs).Assembly);
                options.MaxConcurrentCalls = 4;
                options.ReferencePollInterval = TimeSpan.FromSeconds(2);
                configure?.Invoke(options);
            });
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client =>
        {
            client.AddPipelinesOrleans();
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
        });
        InProcessTestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static ClusterDispatcher Dispatcher(InProcessTestCluster cluster, int shardCount = 4) =>
        new(cluster.Client, new OrleansExecutorOptions { ShardCount = shardCount, PollInterval = TimeSpan.FromSeconds(2) });

    public static OrleansExecutor Executor(InProcessTestCluster cluster, int shardCount = 4) =>
        new(cluster.Client, new OrleansExecutorOptions { ShardCount = shardCount, PollInterval = TimeSpan.FromSeconds(2) });

    /// <summary>Waits until the dispatcher knows <paramref name="silos"/> silos and each one's capacity (its windows are then final).</summary>
    public static Task WaitForSilosAsync(ClusterDispatcher dispatcher, int silos) =>
        Wait.Bounded(Task.Run(async () =>
        {
            while (dispatcher.Placement.Silos is var known && (known.Count(s => !s.IsGone) != silos || known.Any(s => s.Capacity == 0)))
            {
                await Task.Delay(10);
            }
        }), $"the dispatcher to see {silos} silos");

    /// <summary>Whether the cluster still holds call <paramref name="call"/> on its shard (a dependent's read that does not wait; no side effects).</summary>
    public static async Task<bool> IsHeldAsync(InProcessTestCluster cluster, HeldCall call)
    {
        ClusterCallOutcome outcome = await cluster.Client.GetGrain<ICallShardGrain>(call.Shard)
            .ReadForDependent(call.Id, mayBeInFlight: false, TimeSpan.Zero, "test");
        return !(outcome.Status == ClusterCallStatus.Lost && outcome.LostReason == ClusterCallLostReason.NotHeld);
    }
}

/// <summary>One two-silo cluster shared by the tests that do not kill or stop silos.</summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    internal InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    public async ValueTask InitializeAsync() => _cluster = await TestClusters.StartAsync(2);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedCluster>
{
    public const string Name = "shared cluster";
}

/// <summary>Arguments as the generated <c>IRemoteCall.WriteArgument</c> will write them: one JSON value each.</summary>
internal static class Args
{
    public static ClusterArgument Json<T>(T value) => ClusterArgument.FromJson(JsonSerializer.SerializeToUtf8Bytes(value));

    public static T Read<T>(ClusterCallOutcome outcome)
    {
        Assert.Equal(ClusterCallStatus.Succeeded, outcome.Status);
        Assert.NotNull(outcome.Result);
        return JsonSerializer.Deserialize<T>(outcome.Result)!;
    }

    public static string Id(string method, params string[] parameterTypes) =>
        $"M:Pipelines.OrleansTests.Jobs.{method}({string.Join(",", parameterTypes)})";

    public static readonly string Add = Id("Add", "System.Int32", "System.Int32");
    public static readonly string CountRun = Id("CountRun", "System.String", "System.Int32");
    public static readonly string Gated = Id("Gated", "System.String", "System.Int32", "System.Threading.CancellationToken");
    public static readonly string Blocked = Id("Blocked", "System.String", "System.Int32");
    public static readonly string WaitForCancel = Id("WaitForCancel", "System.String", "System.Threading.CancellationToken");
    public static readonly string Work = Id("Work", "System.Int32", "System.Int32");
    public static readonly string Fail = Id("Fail", "System.String");
    public static readonly string IgnoreToken = Id("IgnoreToken", "System.String");

    public static ShardTotals Totals(IEnumerable<ShardStats> stats) => new(
        stats.Sum(s => s.Started), stats.Sum(s => s.ClientReads), stats.Sum(s => s.DependentReads), stats.Sum(s => s.CrossSiloReads),
        stats.Sum(s => s.Held), stats.Sum(s => s.CancelledWhileRunning));
}

/// <summary>A call and the shard that held it when it was looked up (the shard is forgotten once the call is released).</summary>
internal readonly record struct HeldCall(ClusterCallId Id, string Shard);

internal readonly record struct ShardTotals(long Started, long ClientReads, long DependentReads, long CrossSiloReads, long Held, long CancelledWhileRunning);
