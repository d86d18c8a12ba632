using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Pipelines.Diagnostics;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --dashboard</c>: what watching a pipeline costs it. The fan-out of 1M generated <c>SubmitInc</c> calls and the tree
/// reduction over 1M leaves, each measured three ways in interleaved repetitions of one run: with nothing watching; with a
/// <see cref="PipelineMonitor"/> open (what the dashboard records); and with the dashboard started and a page connected
/// (a client reading its event stream, which makes the server take and send a snapshot four times a second).
/// Reported as the median ratio to the unwatched figure, per repetition (each mode against the unwatched run of the same
/// repetition); the budget is fan-out within 10% with a page open. Wall-clock time first; then CPU time of the whole process
/// per call (every thread: workers, the monitor's sampler, the server), which a busy machine disturbs far less.
/// </summary>
internal static class DashboardOverhead
{
    private const int FanOutCalls = 1_000_000;
    private const int TreeLeaves = 1 << 20;
    private const int Reps = 11;
    private const int SettleMilliseconds = 1000;

    public static int Run()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"# Pipelines dashboard overhead: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Reps} interleaved reps after a warm-up (each mode started, then a quarter fan-out unmeasured and a second to settle, per rep); ThreadPoolExecutor(maxWorkers: {Environment.ProcessorCount})");
        using var executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);
        var modes = new (string Name, Func<IDisposable?> Start)[]
        {
            ("nothing watching", static () => null),
            ("monitor open", static () => PipelineMonitor.Start()),
            ("dashboard + page", DashboardPage.Open),
        };
        var fanOut = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var tree = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var inlineCall = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var fanOutCpu = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var treeCpu = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var inlineCpu = modes.ToDictionary(m => m.Name, _ => new List<double>());
        using var inline = new InlineExecutor();
        for (int rep = -1; rep < Reps; rep++)
        {
            // Rotate the order each rep, so no mode always runs right after a garbage collection of another's.
            for (int k = 0; k < modes.Length; k++)
            {
                (string name, Func<IDisposable?> start) = modes[(k + Math.Max(rep, 0)) % modes.Length];
                using IDisposable? watching = start();

                // Unmeasured: whatever starting the mode costs once (a web host built and started, its first requests,
                // the JIT's tier-up of its code in the background, a fresh thread's allocation context) is paid, and
                // has settled, before the clock starts: a dashboard is started once in a process, not once per job.
                _ = Workloads.FanOutStub(executor, FanOutCalls / 4);
                System.Threading.Thread.Sleep(SettleMilliseconds);
                Time(fanOut[name], fanOutCpu[name], rep, FanOutCalls, () => Workloads.FanOutStub(executor, FanOutCalls), Workloads.Expected.FanOut(FanOutCalls));
                Time(tree[name], treeCpu[name], rep, TreeLeaves, () => Workloads.TreeStub(executor, TreeLeaves), Workloads.Expected.Tree(TreeLeaves));
                Time(inlineCall[name], inlineCpu[name], rep, FanOutCalls, () => InlineCalls(inline, FanOutCalls), Workloads.Expected.FanOut(FanOutCalls));
            }
        }

        Report("fan-out 1M, generated SubmitInc, then wait for all", fanOut, "ns/call", modes[0].Name);
        Report("tree reduction 1M leaves, SubmitAdd over futures", tree, "ns/leaf", modes[0].Name);
        Report("a whole call on InlineExecutor (no thread hand-off: the recording's own cost, least noisy)", inlineCall, "ns/call", modes[0].Name);
        Report("CPU time, fan-out", fanOutCpu, "CPU ns/call", modes[0].Name);
        Report("CPU time, tree reduction", treeCpu, "CPU ns/leaf", modes[0].Name);
        Report("CPU time, a whole call on InlineExecutor", inlineCpu, "CPU ns/call", modes[0].Name);
        return 0;
    }

    private static long InlineCalls(InlineExecutor inline, int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += inline.SubmitInc(i).GetResult();
        }

        return sum;
    }

    private static void Time(List<double> times, List<double> cpuTimes, int rep, int ops, Func<long> run, long expected)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long checksum = run();
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / ops;
        double cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / ops;
        if (checksum != expected)
        {
            throw new InvalidOperationException($"checksum {checksum}, expected {expected}");
        }

        if (rep >= 0)
        {
            times.Add(ns);
            cpuTimes.Add(cpuNs);
        }
    }

    private static void Report(string name, Dictionary<string, List<double>> times, string unit, string baseline)
    {
        double baseMedian = Median(times[baseline]);
        Console.WriteLine(name + ":");
        foreach ((string mode, List<double> values) in times)
        {
            // Per-rep ratios pair each mode with the baseline measured in the same rep (same machine load).
            double[] ratios = values.Zip(times[baseline], static (v, b) => v / b).ToArray();
            Console.WriteLine($"  {mode,-18} median {Median(values),7:F1} {unit}, best {values.Min(),7:F1}; ratio to nothing watching: median {Median(ratios):F3} (per rep {string.Join(" ", ratios.Select(static r => r.ToString("F2", CultureInfo.InvariantCulture)))})");
        }

        _ = baseMedian;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
