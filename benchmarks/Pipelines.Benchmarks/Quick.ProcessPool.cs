using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Pipelines.Benchmarks.Remote;

namespace Pipelines.Benchmarks;

// The process-pool section of the quick mode (also run alone: -- --process-pool).
internal static partial class Quick
{
    /// <summary>
    /// Per-call overhead of ProcessPoolExecutor against ThreadPoolExecutor, both maxWorkers: 2, through the same
    /// generated stubs. Workers are this executable started again; the pool is disposed here, and no worker may outlive it.
    /// </summary>
    internal static int ProcessPoolOverhead()
    {
        const int Workers = 2;
        long start = Stopwatch.GetTimestamp();
        int[] pids;
        using (var threads = new ThreadPoolExecutor(maxWorkers: Workers))
        using (var processes = new ProcessPoolExecutor(maxWorkers: Workers))
        {
            // The first calls start the worker processes: warm both up before anything is timed.
            ProcessPoolWorkloads.WarmUp(processes);
            ProcessPoolWorkloads.WarmUp(threads);
            pids = processes.WorkerProcessIds.ToArray();

            const int N = ProcessPoolWorkloads.AddCalls;
            const int E = ProcessPoolWorkloads.EchoCalls;
            const int B = ProcessPoolWorkloads.BurstCalls;
            Dictionary<string, Result> add = Measure(
                new Variant("process round trip Add", N, () => ProcessPoolWorkloads.AddRoundTrips(processes, N), ProcessPoolWorkloads.Expected.Add(N)),
                new Variant("thread round trip Add", N, () => ProcessPoolWorkloads.AddRoundTrips(threads, N), ProcessPoolWorkloads.Expected.Add(N)));
            Dictionary<string, Result> echo = Measure(
                new Variant("process round trip Echo", E, () => ProcessPoolWorkloads.EchoRoundTrips(processes, E), ProcessPoolWorkloads.Expected.Echo(E)),
                new Variant("thread round trip Echo", E, () => ProcessPoolWorkloads.EchoRoundTrips(threads, E), ProcessPoolWorkloads.Expected.Echo(E)));
            Dictionary<string, Result> burst = Measure(
                new Variant("process burst Add", B, () => ProcessPoolWorkloads.AddBurst(processes, B), ProcessPoolWorkloads.Expected.Add(B)),
                new Variant("thread burst Add", B, () => ProcessPoolWorkloads.AddBurst(threads, B), ProcessPoolWorkloads.Expected.Add(B)));

            const int M = ProcessPoolWorkloads.MapItems;
            Dictionary<string, Result> map = Measure(
                new Variant("process MapInc default", M, () => ProcessPoolWorkloads.MapInc(processes, M, null), ProcessPoolWorkloads.Expected.Add(M)),
                new Variant("process MapInc 1000", M, () => ProcessPoolWorkloads.MapInc(processes, M, 1000), ProcessPoolWorkloads.Expected.Add(M)),
                new Variant("thread MapInc", M, () => ProcessPoolWorkloads.MapInc(threads, M, null), ProcessPoolWorkloads.Expected.Add(M)));

            const string P = "pipelines(process)";
            const string T = "baseline(thread pool)";
            Line($"process pool, round trip Add, one call at a time ({N} calls)", add["process round trip Add"], add["thread round trip Add"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, round trip Echo, {ProcessPoolWorkloads.EchoLength}-int array each way, one call at a time ({E} calls)", echo["process round trip Echo"], echo["thread round trip Echo"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, burst of {B / 1000}k Adds then Futures.Wait(all)", burst["process burst Add"], burst["thread burst Add"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, MapInc over {M / 1000}k items, default chunk size", map["process MapInc default"], map["thread MapInc"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, MapInc over {M / 1000}k items, chunkSize 1000", map["process MapInc 1000"], map["thread MapInc"], pipelinesLabel: P, baselineLabel: T);
            ProcessPoolAgainstPython(Workers, add["process round trip Add"], burst["process burst Add"], map["process MapInc default"], map["process MapInc 1000"]);
        }

        // Dispose waits for every worker process to exit: check that none is left.
        int left = pids.Count(pid =>
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false; // gone
            }
        });
        Console.WriteLine($"process pool, maxWorkers {Workers}: whole section {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s incl. worker start; worker processes left after Dispose: {left} of {pids.Length}  [none left: {(left == 0 ? "met" : "MISSED")}]");
        return left == 0 ? 0 : 1;
    }

    /// <summary>
    /// The same shapes on CPython's ProcessPoolExecutor, run now (same machine, same moment): a round trip of one
    /// call (target: ours at most 15 µs), a burst, and map(inc, …, chunksize) at 1, 100, 1,000 and 10,000 (target: our
    /// MapInc at least 3x Python's best).
    /// </summary>
    private static void ProcessPoolAgainstPython(int workers, Result roundTrip, Result burst, Result mapDefault, Result map1000)
    {
        Console.WriteLine($"process pool, round trip Add: {roundTrip.Best / 1000:F1} µs per call (median {roundTrip.Median / 1000:F1})  [target <= 15 µs: {(roundTrip.Best <= 15_000 ? "met" : "MISSED")}]");
        Dictionary<string, double>? python = ProcessPoolPython.Run(workers, roundTrips: 2000, burst: ProcessPoolWorkloads.BurstCalls, items: ProcessPoolWorkloads.MapItems, reps: Reps, out string version, out string note);
        if (python is null)
        {
            Console.WriteLine($"process pool vs Python: {note}");
            return;
        }

        double ours = 1e9 / mapDefault.Best;
        double ours1000 = 1e9 / map1000.Best;
        (string bestName, double bestRate) = python.Where(kv => kv.Key.StartsWith("map", StringComparison.Ordinal)).MaxBy(kv => kv.Value) is var best
            ? (best.Key, best.Value) : ("map?", double.NaN);
        Console.WriteLine($"python {version} ProcessPoolExecutor(max_workers={workers}): round trip {python["roundtrip"] / 1000:F1} µs, burst {python["burst"] / 1000:F1} µs per call; " +
            $"map(inc) items/s at chunksize 1: {python["map1"]:N0}, 100: {python["map100"]:N0}, 1000: {python["map1000"]:N0}, 10000: {python["map10000"]:N0}");
        Console.WriteLine($"process pool vs Python, round trip: pipelines {roundTrip.Best / 1000:F1} µs, python {python["roundtrip"] / 1000:F1} µs, ratio {roundTrip.Best / python["roundtrip"]:F3}");
        Console.WriteLine($"process pool vs Python, burst: pipelines {burst.Best / 1000:F1} µs, python {python["burst"] / 1000:F1} µs per call, ratio {burst.Best / python["burst"]:F3}");
        Console.WriteLine($"process pool vs Python, map of {ProcessPoolWorkloads.MapItems / 1000}k: MapInc default {ours:N0} items/s, chunkSize 1000 {ours1000:N0} items/s; Python's best ({bestName}) {bestRate:N0} items/s; " +
            $"ratio {ours / bestRate:F2}x (chunkSize 1000: {ours1000 / bestRate:F2}x)  [target >= 3x: {(ours / bestRate >= 3 ? "met" : "MISSED")}]");
    }

    /// <summary>Runs one process-pool shape for <paramref name="seconds"/> (after a warm-up) and prints its rate, for a profiler to sample.</summary>
    internal static int ProcessPoolProfile(string shape, int seconds)
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        ProcessPoolWorkloads.WarmUp(pool);
        Console.WriteLine($"pid {Environment.ProcessId}, workers {string.Join(", ", pool.WorkerProcessIds)}");
        var clock = Stopwatch.StartNew();
        long ops = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            switch (shape)
            {
                case "roundtrip":
                    ProcessPoolWorkloads.AddRoundTrips(pool, 2000);
                    ops += 2000;
                    break;
                default:
                    ProcessPoolWorkloads.MapInc(pool, ProcessPoolWorkloads.MapItems, null);
                    ops += ProcessPoolWorkloads.MapItems;
                    break;
            }
        }

        Console.WriteLine($"{shape}: {clock.Elapsed.TotalNanoseconds / ops:F0} ns/op over {ops:N0} ops");
        return 0;
    }
}
