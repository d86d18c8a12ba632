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
    /// Issue 8: per-call overhead of ProcessPoolExecutor against ThreadPoolExecutor, both maxWorkers: 2, through the same
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

            const string P = "pipelines(process)";
            const string T = "baseline(thread pool)";
            Line($"process pool, round trip Add, one call at a time ({N} calls)", add["process round trip Add"], add["thread round trip Add"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, round trip Echo, {ProcessPoolWorkloads.EchoLength}-int array each way, one call at a time ({E} calls)", echo["process round trip Echo"], echo["thread round trip Echo"], pipelinesLabel: P, baselineLabel: T);
            Line($"process pool, burst of {B / 1000}k Adds then Futures.Wait(all)", burst["process burst Add"], burst["thread burst Add"], pipelinesLabel: P, baselineLabel: T);
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
}
