using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Pipelines;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace ClusterSample;

/// <summary>
/// Per-call overhead and throughput of the same Add call: thread pool, process pool, one in-process silo, and two silo
/// processes on localhost with an external client. Numbers, not a benchmark harness: run it on a quiet machine.
/// </summary>
internal static class BenchCommand
{
    private const string AddId = "M:ClusterSample.Jobs.Add(System.Int32,System.Int32)";

    public static async Task<int> RunAsync(ClusterLayout layout, bool quick)
    {
        int sequential = quick ? 1_000 : 5_000;
        int burst = quick ? 5_000 : 10_000;
        Console.WriteLine($"Per-call overhead (sequential round trips of Add, median / p99) and throughput (a burst of {burst:N0} concurrent Adds).");
        Console.WriteLine($"{"executor",-44} {"median",10} {"p99",10} {"burst",14} {"refs burst",14}");

        await using (var threads = new ThreadPoolExecutor(maxWorkers: 2))
        {
            Report("ThreadPoolExecutor(2)", await Sequential(sequential, async i => await threads.SubmitAdd(i, 1)), await Burst(burst, i => threads.SubmitAdd(i, 1).AsTask()), null);
        }

        await using (var pool = new ProcessPoolExecutor(maxWorkers: 2))
        {
            await pool.SubmitAdd(0, 0); // start a worker
            Report("ProcessPoolExecutor(2)", await Sequential(sequential / 5, async i => await pool.SubmitAdd(i, 1)), await Burst(burst / 5, i => pool.SubmitAdd(i, 1).AsTask()), null);
        }

        // One silo in this process; calls through its own client (no gateway hop).
        var clock = Stopwatch.StartNew();
        using (IHost silo = await StartInProcessSiloAsync(layout.BasePort + 50))
        {
            TimeSpan siloStart = clock.Elapsed;
            await using var dispatcher = new ClusterDispatcher(silo.Services.GetRequiredService<IGrainFactory>(), new OrleansExecutorOptions { ShardCount = 16 });
            await Warm(dispatcher);
            Report($"Orleans, 1 silo in-process ({siloStart.TotalSeconds:F1} s start)", await Sequential(sequential, i => ClusterAdd(dispatcher, i)),
                await Burst(burst, i => ClusterAdd(dispatcher, i)), await ReferenceBurst(dispatcher, burst / 2));
            await silo.StopAsync();
        }

        // Two silo processes and this process as an external client.
        clock.Restart();
        using SiloProcess a = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        using SiloProcess b = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        using IHost client = await LocalCluster.StartClientAsync(layout, silos: 2);
        TimeSpan clusterStart = clock.Elapsed;
        await using (var dispatcher = new ClusterDispatcher(client.Services.GetRequiredService<IClusterClient>(), new OrleansExecutorOptions { ShardCount = 32, PollInterval = TimeSpan.FromSeconds(2) }))
        {
            await Warm(dispatcher);
            Report($"Orleans, 2 silo processes ({clusterStart.TotalSeconds:F1} s start)", await Sequential(sequential, i => ClusterAdd(dispatcher, i)),
                await Burst(burst, i => ClusterAdd(dispatcher, i)), await ReferenceBurst(dispatcher, burst / 2));
        }

        Console.WriteLine("burst: calls/s for the whole burst; refs burst: pairs Add(1, 1) -> Add(that future, 1), the second reading the first silo to silo, calls/s.");
        return 0;
    }

    private static async Task<int> ClusterAdd(ClusterDispatcher dispatcher, int i)
    {
        ClusterCallId id = dispatcher.NewCallId();
        ClusterCallOutcome outcome = await dispatcher.RunAsync(id, AddId, [Json(i), Json(1)], returnResult: true);
        dispatcher.Release(id);
        return outcome.Status == ClusterCallStatus.Succeeded ? JsonSerializer.Deserialize<int>(outcome.Result) : throw ClusterExceptions.ToException(outcome, id, AddId);
    }

    private static async Task Warm(ClusterDispatcher dispatcher)
    {
        await dispatcher.GetShardStatsAsync(); // activate every shard
        await Burst(2_000, i => ClusterAdd(dispatcher, i));
    }

    private static async Task<double[]> Sequential(int count, Func<int, Task<int>> call)
    {
        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            if (await call(i) != i + 1)
            {
                throw new InvalidOperationException("Wrong result.");
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);
        return [latencies[count / 2], latencies[(int)(count * 0.99)]];
    }

    private static async Task<double> Burst(int count, Func<int, Task<int>> call)
    {
        var clock = Stopwatch.StartNew();
        var tasks = new Task<int>[count];
        for (int i = 0; i < count; i++)
        {
            tasks[i] = call(i);
        }

        await Task.WhenAll(tasks);
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ReferenceBurst(ClusterDispatcher dispatcher, int pairs)
    {
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task<ClusterCallOutcome>>(pairs * 2);
        var ids = new List<ClusterCallId>(pairs * 2);
        for (int i = 0; i < pairs; i++)
        {
            ClusterCallId first = dispatcher.NewCallId();
            ClusterCallId second = dispatcher.NewCallId();
            tasks.Add(dispatcher.RunAsync(first, AddId, [Json(1), Json(1)]));
            tasks.Add(dispatcher.RunAsync(second, AddId, [dispatcher.Reference(first), Json(1)], returnResult: true));
            ids.Add(first);
            ids.Add(second);
        }

        ClusterCallOutcome[] outcomes = await Task.WhenAll(tasks);
        double rate = pairs * 2 / clock.Elapsed.TotalSeconds;
        for (int i = 1; i < outcomes.Length; i += 2)
        {
            if (JsonSerializer.Deserialize<int>(outcomes[i].Result) != 3)
            {
                throw new InvalidOperationException($"Wrong result: {outcomes[i]}.");
            }
        }

        ids.ForEach(dispatcher.Release);
        return rate;
    }

    private static async Task<IHost> StartInProcessSiloAsync(int port)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(port, port + 1, null, "pipelines-bench", "pipelines-bench");
            silo.AddPipelines(options =>
            {
                options.Assemblies.Add(typeof(Jobs).Assembly);
                options.MaxConcurrentCalls = 2;
            });
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static void Report(string name, double[] latency, double burst, double? refs) =>
        Console.WriteLine($"{name,-44} {latency[0],8:F0}us {latency[1],8:F0}us {burst,12:N0}/s {(refs is double r ? $"{r:N0}/s" : "-"),14}");

    private static ClusterArgument Json<T>(T value) => ClusterArgument.FromJson(JsonSerializer.SerializeToUtf8Bytes(value));
}
