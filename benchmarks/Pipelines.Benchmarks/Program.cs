using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Pipelines.Benchmarks -- --quick</c>: the Stopwatch harness, one line per comparison.
/// <c>-- --overhead [--listen]</c>: only fan-out, tree and an inline call, more reps, without (or with) telemetry listeners.
/// <c>-- --dashboard</c>: fan-out and tree with nothing watching, a monitor open, and the dashboard with a page connected.
/// <c>-- --wait</c>: only Futures.Wait over done futures against Task.WaitAll.
/// <c>-- --real-job</c>: only the static-site build against plain TPL and Dataflow (<see cref="RealJob"/>).
/// <c>-- --process-pool</c>: only the quick mode's process-pool section.
/// <c>-- --process-pool-profile map|roundtrip</c>: one process-pool shape, again and again for 20 s, for a profiler.
/// <c>-- --walk</c>: the stacks of one call from <c>SubmitAdd</c> to <c>await</c>, for the README's Architecture walk (<see cref="Walk"/>).
/// <c>-- --profile &lt;shape&gt;</c>: one shape, run again and again for a profiler to sample (see <see cref="Profile"/>).
/// <c>dotnet run -c Release --project benchmarks/Pipelines.Benchmarks -- --filter *</c>: the BenchmarkDotNet classes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            return Quick.Run();
        }

        if (args.Contains("--overhead"))
        {
            return Overhead.Run(
                traces: args.Contains("--listen") || args.Contains("--listen-traces"),
                metrics: args.Contains("--listen") || args.Contains("--listen-metrics"));
        }

        if (args.Contains("--real-job"))
        {
            return RealJob.Run();
        }

        if (args.Contains("--dashboard"))
        {
            return DashboardOverhead.Run();
        }

        if (args.Contains("--wait"))
        {
            return Quick.WaitOnly();
        }

        if (args.Contains("--walk"))
        {
            return Walk.Run();
        }

        if (args.Contains("--breakdown"))
        {
            return Quick.Breakdown();
        }

        if (Array.IndexOf(args, "--profile") is int at and >= 0)
        {
            return Profile.Run(
                at + 1 < args.Length ? args[at + 1] : "",
                seconds: Environment.GetEnvironmentVariable("PIPELINES_PROFILE_SECONDS") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20,
                workers: Environment.GetEnvironmentVariable("PIPELINES_PROFILE_WORKERS") is { } w ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        if (Array.IndexOf(args, "--process-pool-profile") is int shape and >= 0)
        {
            return Quick.ProcessPoolProfile(shape + 1 < args.Length ? args[shape + 1] : "map", seconds: 20);
        }

        if (args.Contains("--process-pool"))
        {
            return Quick.ProcessPoolOverhead();
        }

        if (args.Contains("--generator"))
        {
            Quick.GeneratorTimes();
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
