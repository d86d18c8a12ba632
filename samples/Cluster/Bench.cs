using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Pipelines;
using Pipelines.Orleans;

namespace ClusterSample;

/// <summary>
/// Per-call overhead and throughput of the same generated stub, <c>executor.SubmitAdd</c>, on a thread pool, a process
/// pool, an <see cref="OrleansExecutor"/> on one silo in this process, and one on two silo processes (localhost TCP).
/// Numbers, not a benchmark harness: run it on a quiet machine, in Release.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(ClusterLayout layout, bool quick)
    {
        int sequential = quick ? 1_000 : 5_000;
        int burst = quick ? 5_000 : 10_000;
        Console.WriteLine($"The same stub on each executor. median/p99: sequential round trips, `await executor.SubmitAdd(i, 1)`; burst: {burst:N0} SubmitAdd " +
            $"then Futures.WaitAsync and read every value; refs: {burst / 2:N0} pairs b = SubmitAdd(SubmitAdd(1, 1), 1), every b read.");
        Console.WriteLine($"{"executor",-46} {"median",9} {"p99",9} {"burst",12} {"refs",12}");
        var rows = new List<Row>();

        await using (var threads = new ThreadPoolExecutor(maxWorkers: 2))
        {
            rows.Add(await MeasureAsync("ThreadPoolExecutor(2)", threads, sequential, burst));
        }

        await using (var pool = new ProcessPoolExecutor(maxWorkers: 2))
        {
            await pool.SubmitAdd(0, 0); // start a worker
            rows.Add(await MeasureAsync("ProcessPoolExecutor(2)", pool, sequential / 5, burst / 5));
        }

        var clock = Stopwatch.StartNew();
        using (IHost silo = await StartInProcessSiloAsync(layout.BasePort + 50))
        {
            TimeSpan start = clock.Elapsed;
            await using var executor = new OrleansExecutor(silo.Services.GetRequiredService<IClusterClient>(), new OrleansExecutorOptions { ShardCount = 16 });
            await WarmAsync(executor);
            rows.Add(await MeasureAsync($"OrleansExecutor, 1 silo in-process ({start.TotalSeconds:F1} s start)", executor, sequential, burst));
            await silo.StopAsync();
        }

        clock.Restart();
        using (SiloProcess a = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60)))
        using (SiloProcess b = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60)))
        using (IHost client = await LocalCluster.StartClientAsync(layout, silos: 2))
        {
            TimeSpan start = clock.Elapsed;
            await using var executor = new OrleansExecutor(client.Services.GetRequiredService<IClusterClient>(),
                new OrleansExecutorOptions { ShardCount = 32, PollInterval = TimeSpan.FromSeconds(2) });
            await WarmAsync(executor);
            rows.Add(await MeasureAsync($"OrleansExecutor, 2 silo processes ({start.TotalSeconds:F1} s start)", executor, sequential, burst));
        }

        Row baseline = rows[0];
        Console.WriteLine();
        foreach (Row row in rows.Skip(1))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Name} vs {baseline.Name}: per call {row.Median / baseline.Median:F1}x ({row.Median:F0} vs {baseline.Median:F0} us), " +
                $"burst {row.Burst / baseline.Burst:F3}x ({row.Burst:N0} vs {baseline.Burst:N0} calls/s), refs {row.Refs / baseline.Refs:F3}x ({row.Refs:N0} vs {baseline.Refs:N0} calls/s)"));
        }

        return 0;
    }

    private static async Task<Row> MeasureAsync(string name, IExecutor executor, int sequential, int burst)
    {
        var latencies = new double[sequential];
        for (int i = 0; i < sequential; i++)
        {
            long start = Stopwatch.GetTimestamp();
            if (await executor.SubmitAdd(i, 1) != i + 1)
            {
                throw new InvalidOperationException("Wrong result.");
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);
        var row = new Row(name, latencies[sequential / 2], latencies[(int)(sequential * 0.99)], await BurstAsync(executor, burst), await ReferenceBurstAsync(executor, burst / 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name,-46} {row.Median,7:F0}us {row.P99,7:F0}us {row.Burst,10:N0}/s {row.Refs,10:N0}/s"));
        return row;
    }

    private static async Task<double> BurstAsync(IExecutor executor, int count)
    {
        var clock = Stopwatch.StartNew();
        var futures = new Future<int>[count];
        for (int i = 0; i < count; i++)
        {
            futures[i] = executor.SubmitAdd(i, 1);
        }

        await Futures.WaitAsync(futures);
        for (int i = 0; i < count; i++)
        {
            if (futures[i].GetResult() != i + 1)
            {
                throw new InvalidOperationException("Wrong result.");
            }
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ReferenceBurstAsync(IExecutor executor, int pairs)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Future<int>[pairs];
        for (int i = 0; i < pairs; i++)
        {
            seconds[i] = executor.SubmitAdd(executor.SubmitAdd(1, 1), 1); // on a cluster, the first is read silo to silo
        }

        await Futures.WaitAsync(seconds);
        foreach (Future<int> second in seconds)
        {
            if (second.GetResult() != 3)
            {
                throw new InvalidOperationException("Wrong result.");
            }
        }

        return pairs * 2 / clock.Elapsed.TotalSeconds;
    }

    private static async Task WarmAsync(OrleansExecutor executor)
    {
        await executor.Dispatcher.GetShardStatsAsync(); // activate every shard
        await BurstAsync(executor, 2_000);
        await ReferenceBurstAsync(executor, 500);
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

    private sealed record Row(string Name, double Median, double P99, double Burst, double Refs);
}
