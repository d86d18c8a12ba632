using System;
using System.Diagnostics;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --profile fan-out|tree|diamond</c>: one shape of the quick mode, run repeatedly for about 20 seconds, so a
/// sampling profiler (<c>perf record</c>, <c>dotnet-trace</c>) sees that shape alone.
/// </summary>
internal static class Profile
{
    public static int Run(string shape, int seconds = 20, int? workers = null)
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: workers ?? Environment.ProcessorCount);
        using var inline = new InlineExecutor();
        (int ops, Func<long> run, long expected) = shape switch
        {
            "fan-out" => (1_000_000, (Func<long>)(() => Workloads.FanOutStub(executor, 1_000_000)), Workloads.Expected.FanOut(1_000_000)),
            "tree" => (1 << 20, () => Workloads.TreeStub(executor, 1 << 20), Workloads.Expected.Tree(1 << 20)),
            "tree-inline" => (1 << 20, () => Workloads.TreeStub(inline, 1 << 20), Workloads.Expected.Tree(1 << 20)),
            "tree-async" => (1 << 20, () => Workloads.TreeAsyncAwait(1 << 20), Workloads.Expected.Tree(1 << 20)),
            "diamond" => (200_000, () => Workloads.DiamondStub(executor, 200_000), Workloads.Expected.Diamond(200_000)),
            _ => (0, () => 0, 0),
        };
        if (ops == 0)
        {
            Console.Error.WriteLine("--profile needs a shape: fan-out, tree or diamond");
            return 1;
        }

        var total = Stopwatch.StartNew();
        int reps = 0;
        while (total.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            long start = Stopwatch.GetTimestamp();
            TimeSpan paused = GC.GetTotalPauseDuration();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            if (run() != expected)
            {
                throw new InvalidOperationException($"{shape}: wrong checksum");
            }

            reps++;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            Console.WriteLine($"{shape}: {elapsed.TotalNanoseconds / ops:F0} ns/op; GC paused {(GC.GetTotalPauseDuration() - paused) / elapsed:P0} of it; GCs gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}");
        }

        Console.WriteLine($"{shape}: {reps} reps");
        return 0;
    }
}
