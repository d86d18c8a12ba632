using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Pipelines.Orleans;

namespace ClusterSample;

/// <summary>
/// <c>latency</c>: where the time of a cross-process call goes. Sequential round trips of a raw grain call and of
/// <c>SubmitAdd</c> on two silo processes, alternated, with their distributions, the client's GC pauses and thread-pool
/// queue, and the dispatcher's counters of retried or abandoned messages.
/// </summary>
internal static class LatencyCommand
{
    public static async Task<int> RunAsync(ClusterLayout layout, int count, int rounds)
    {
        using SiloProcess a = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        using SiloProcess b = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        using IHost host = await LocalCluster.StartClientAsync(layout, silos: 2);
        IClusterClient client = host.Services.GetRequiredService<IClusterClient>();
        await using var executor = new OrleansExecutor(client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) });
        await BenchCommand.WarmAsync(client, executor);
        for (int round = 0; round < rounds; round++)
        {
            // One raw call, one Pipelines call, and so on: both see the same machine, moment by moment.
            TimeSpan pausesBefore = GC.GetTotalPauseDuration();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var raw = new double[count];
            var pipelines = new double[count];
            for (int i = 0; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                if (await client.GetGrain<IAddGrain>(i % 64).Add(i, 1) != i + 1)
                {
                    throw new InvalidOperationException("Wrong result.");
                }

                raw[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                start = Stopwatch.GetTimestamp();
                if (await executor.SubmitAdd(i, 1) != i + 1)
                {
                    throw new InvalidOperationException("Wrong result.");
                }

                pipelines[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: client GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}, pauses {(GC.GetTotalPauseDuration() - pausesBefore).TotalMilliseconds:F0} ms"));
            Print("raw grain", raw);
            Print("Pipelines", pipelines);
        }

        ClusterDispatcherCounters(executor);
        return 0;
    }

    private static void Print(string name, double[] latencies)
    {
        Array.Sort(latencies);
        double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * q))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-10} p50 {At(0.5),6:F0} p90 {At(0.9),6:F0} p99 {At(0.99),6:F0} p99.9 {At(0.999),7:F0} max {latencies[^1],7:F0} us; >5 ms {latencies.Count(l => l > 5000),4}, >20 ms {latencies.Count(l => l > 20000),3}"));
    }

    private static void ClusterDispatcherCounters(OrleansExecutor executor)
    {
        var d = executor.Dispatcher;
        Console.WriteLine($"dispatcher: redelivered {d.Redeliveries}, unknown deliveries {d.UnknownDeliveries}, abandoned waits {d.AbandonedWaits}, lost {d.LostCalls}, handed back {d.HandedBack}; {executor.GetStatistics()}");
        foreach (var silo in d.Placement.Silos)
        {
            Console.WriteLine($"  {silo.Name}: capacity {silo.Capacity}, window {silo.Window}, placed {silo.Placed}");
        }
    }
}
