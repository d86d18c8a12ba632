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
/// The cluster's benchmark, side by side in one run, as ratios: per-call latency across processes beside a raw Orleans
/// grain call doing the same work (<see cref="IAddGrain"/>), throughput, the Merkle demo with and without a silo killed
/// (and restarted, as Dask's nanny restarts a worker), and Dask distributed on the same shapes when it is installed
/// (<see cref="DaskBench"/>). Every measurement is repeated in rounds; the summary gives each round and the median.
/// Numbers, not a harness: run it on a quiet machine, in Release.
/// </summary>
internal static class BenchCommand
{
    private const int Leaves = 256;
    private const int WorkMilliseconds = 40;

    public static async Task<int> RunAsync(ClusterLayout layout, bool quick, int rounds, bool dask)
    {
        int sequential = quick ? 1_000 : 5_000;
        int burst = quick ? 5_000 : 10_000;
        Console.WriteLine($"Cluster bench: {rounds} round(s); {sequential:N0} sequential round trips per side and round, bursts of {burst:N0}, the Merkle demo ({Leaves} leaves x {WorkMilliseconds} ms).");

        if (!quick)
        {
            await ContextRows.RunAsync(layout, sequential, burst);
        }

        Console.WriteLine();
        Console.WriteLine("Two silo processes and a client on localhost (localhost clustering, silo-A primary):");
        using SiloProcess a = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        SiloProcess b = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        var names = new Dictionary<string, string> { [a.Address] = a.Name, [b.Address] = b.Name };
        var latency = new List<LatencyRound>();
        var merkle = new List<(MerkleRun Plain, MerkleRun Killed)>();
        try
        {
            using (IHost host = await LocalCluster.StartClientAsync(layout, silos: 2))
            {
                IClusterClient client = host.Services.GetRequiredService<IClusterClient>();
                await using (var executor = new OrleansExecutor(client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) }))
                {
                    await WarmAsync(client, executor);
                    Console.WriteLine($"{"round",5} {"raw median",11} {"raw p99",9} {"raw p99.9",10} {"Pipelines median",17} {"p99",8} {"p99.9",8} {"burst",11} {"refs",11}");
                    for (int round = 0; round < rounds; round++)
                    {
                        // Alternate which side goes first, so neither always gets the warmer machine.
                        Samples raw, pipelines;
                        if (round % 2 == 0)
                        {
                            raw = await RawLatencyAsync(client, sequential);
                            pipelines = await PipelinesLatencyAsync(executor, sequential);
                        }
                        else
                        {
                            pipelines = await PipelinesLatencyAsync(executor, sequential);
                            raw = await RawLatencyAsync(client, sequential);
                        }

                        var row = new LatencyRound(raw, pipelines, await BurstAsync(executor, burst), await ReferenceBurstAsync(executor, burst / 2));
                        latency.Add(row);
                        Console.WriteLine(Invariant($"{round + 1,5} {raw.Median,9:F0}us {raw.P99,7:F0}us {raw.P999,8:F0}us {pipelines.Median,15:F0}us {pipelines.P99,6:F0}us {pipelines.P999,6:F0}us {row.Burst,9:N0}/s {row.Refs,9:N0}/s"));
                    }
                }

                Console.WriteLine($"{"round",5} {"Merkle",9} {"split (calls per silo)",-34} {"with silo-B killed and restarted",34} {"split",-40}");
                for (int round = 0; round < rounds; round++)
                {
                    MerkleRun plain = await DemoCommand.RunMerkleAsync(client, layout, Leaves, WorkMilliseconds, names, victim: null, restart: false, print: false);
                    MerkleRun killed = await DemoCommand.RunMerkleAsync(client, layout, Leaves, WorkMilliseconds, names, victim: b, restart: true, print: false);
                    b.Dispose();
                    b = killed.Restarted!;
                    merkle.Add((plain, killed));
                    Console.WriteLine(Invariant($"{round + 1,5} {plain.Elapsed.TotalSeconds,8:F2}s {plain.Split(names) + (plain.Matches ? string.Empty : " WRONG ROOT"),-34} {killed.Elapsed.TotalSeconds,33:F2}s {killed.Split(names) + (killed.Matches ? string.Empty : " WRONG ROOT"),-40}"));
                }
            }
        }
        finally
        {
            b.Dispose();
        }

        DaskFigures? daskFigures = dask ? await DaskBench.RunAsync(rounds, sequential: 1_000, burst) : null;
        Summarize(latency, merkle, daskFigures);
        return merkle.All(m => m.Plain.Matches && m.Killed.Matches) ? 0 : 1;
    }

    private static void Summarize(List<LatencyRound> latency, List<(MerkleRun Plain, MerkleRun Killed)> merkle, DaskFigures? dask)
    {
        Console.WriteLine();
        Console.WriteLine("Summary (each round, then the median of the rounds):");
        Line("cross-process median: Pipelines / raw Orleans grain call", latency.Select(r => r.Pipelines.Median / r.Raw.Median), "x", "<= 2");
        Line("cross-process p99: Pipelines / raw Orleans grain call", latency.Select(r => r.Pipelines.P99 / r.Raw.P99), "x", "<= 3");
        Line("  raw grain call median, us", latency.Select(r => r.Raw.Median), "", null);
        Line("  raw grain call p99, us", latency.Select(r => r.Raw.P99), "", null);
        Line("  Pipelines median, us", latency.Select(r => r.Pipelines.Median), "", null);
        Line("  Pipelines p99, us", latency.Select(r => r.Pipelines.P99), "", null);
        Line("burst, calls/s", latency.Select(r => r.Burst), "", null);
        Line("refs (half silo to silo), calls/s", latency.Select(r => r.Refs), "", null);
        Line("Merkle, s", merkle.Select(m => m.Plain.Elapsed.TotalSeconds), "", null);
        Line("Merkle split: largest departure from even, %", merkle.Select(m => 100 * m.Plain.Imbalance), "", "<= 25");
        Line("Merkle with silo-B killed and restarted, s", merkle.Select(m => m.Killed.Elapsed.TotalSeconds), "", null);
        if (dask is null)
        {
            return;
        }

        Line("Dask median round trip, us", dask.Median, "", null);
        Line("Dask p99 round trip, us", dask.P99, "", null);
        Line("Dask burst, calls/s", dask.Burst, "", null);
        Line("Dask refs, calls/s", dask.Refs, "", null);
        Line("Dask Merkle (2 threads per worker), s", dask.Merkle, "", null);
        Line("Dask Merkle with a worker killed and restarted, s", dask.MerkleKilled, "", null);
        int n = Math.Min(merkle.Count, dask.MerkleKilled.Count);
        Line("Merkle with a silo killed: Pipelines / Dask (worker restarted)", Enumerable.Range(0, n).Select(i => merkle[i].Killed.Elapsed.TotalSeconds / dask.MerkleKilled[i]), "x", "<= 1.0");
        Line("Merkle: Pipelines / Dask", Enumerable.Range(0, Math.Min(merkle.Count, dask.Merkle.Count)).Select(i => merkle[i].Plain.Elapsed.TotalSeconds / dask.Merkle[i]), "x", null);
        Line("median round trip: Pipelines / Dask", Enumerable.Range(0, Math.Min(latency.Count, dask.Median.Count)).Select(i => latency[i].Pipelines.Median / dask.Median[i]), "x", null);
        Line("p99 round trip: Pipelines / Dask", Enumerable.Range(0, Math.Min(latency.Count, dask.P99.Count)).Select(i => latency[i].Pipelines.P99 / dask.P99[i]), "x", null);
        Line("burst: Pipelines / Dask", Enumerable.Range(0, Math.Min(latency.Count, dask.Burst.Count)).Select(i => latency[i].Burst / dask.Burst[i]), "x", null);
    }

    private static void Line(string what, IEnumerable<double> values, string unit, string? target)
    {
        double[] all = [.. values];
        if (all.Length == 0)
        {
            return;
        }

        string format = all.Max() >= 100 ? "N0" : "F2";
        string each = string.Join(" / ", all.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
        double median = Median(all);
        Console.WriteLine(Invariant($"  {what,-64} {each,-48} median {median.ToString(format, CultureInfo.InvariantCulture)}{unit}{(target is null ? string.Empty : $" (target {target})")}"));
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sequential round trips of a plain grain call doing the work of <see cref="Jobs.Add"/>, over 64 grains.</summary>
    private static async Task<Samples> RawLatencyAsync(IClusterClient client, int count)
    {
        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            if (await client.GetGrain<IAddGrain>(i % 64).Add(i, 1) != i + 1)
            {
                throw new InvalidOperationException("Wrong result.");
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return new Samples(latencies);
    }

    /// <summary>Sequential round trips of the same work through Pipelines: <c>await executor.SubmitAdd(i, 1)</c>.</summary>
    internal static async Task<Samples> PipelinesLatencyAsync(IExecutor executor, int count)
    {
        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            if (await executor.SubmitAdd(i, 1) != i + 1)
            {
                throw new InvalidOperationException("Wrong result.");
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return new Samples(latencies);
    }

    internal static async Task<double> BurstAsync(IExecutor executor, int count)
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

    internal static async Task<double> ReferenceBurstAsync(IExecutor executor, int pairs)
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

    internal static async Task WarmAsync(IClusterClient? client, OrleansExecutor executor)
    {
        await executor.Dispatcher.GetShardStatsAsync(); // every shard of every silo active
        await BurstAsync(executor, 2_000);
        await ReferenceBurstAsync(executor, 500);
        await PipelinesLatencyAsync(executor, 500);
        if (client is not null)
        {
            await RawLatencyAsync(client, 500);
        }
    }

    /// <summary>Sorted latencies of one side of one round, in microseconds.</summary>
    internal sealed class Samples
    {
        private readonly double[] _sorted;

        public Samples(double[] latencies)
        {
            _sorted = [.. latencies.Order()];
        }

        public double Median => At(0.5);

        public double P99 => At(0.99);

        public double P999 => At(0.999);

        private double At(double quantile) => _sorted[Math.Min(_sorted.Length - 1, (int)(_sorted.Length * quantile))];
    }

    private sealed record LatencyRound(Samples Raw, Samples Pipelines, double Burst, double Refs);
}

/// <summary>The same stub on the other executors, for context: a thread pool, a process pool, one silo in this process.</summary>
internal static class ContextRows
{
    public static async Task RunAsync(ClusterLayout layout, int sequential, int burst)
    {
        Console.WriteLine();
        Console.WriteLine("For context, the same stub on other executors (median/p99 of sequential round trips; a burst; refs pairs):");
        await using (var threads = new ThreadPoolExecutor(maxWorkers: 2))
        {
            await Row("ThreadPoolExecutor(2)", threads, sequential, burst);
        }

        await using (var pool = new ProcessPoolExecutor(maxWorkers: 2))
        {
            await pool.SubmitAdd(0, 0); // start a worker
            await Row("ProcessPoolExecutor(2)", pool, sequential / 5, burst / 5);
        }

        using IHost silo = await StartInProcessSiloAsync(layout.BasePort + 50);
        await using var executor = new OrleansExecutor(silo.Services.GetRequiredService<IClusterClient>());
        await BenchCommand.WarmAsync(null, executor);
        await Row("OrleansExecutor, 1 silo in this process", executor, sequential, burst);
        await silo.StopAsync();
    }

    private static async Task Row(string name, IExecutor executor, int sequential, int burst)
    {
        BenchCommand.Samples latency = await BenchCommand.PipelinesLatencyAsync(executor, sequential);
        double calls = await BenchCommand.BurstAsync(executor, burst);
        double refs = await BenchCommand.ReferenceBurstAsync(executor, burst / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-42} {latency.Median,7:F0}us {latency.P99,7:F0}us {calls,10:N0}/s {refs,10:N0}/s"));
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
}
