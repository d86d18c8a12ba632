using System;
using System.Diagnostics;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --profile &lt;shape&gt;</c>: one shape of the quick mode, run again and again (20 s, or
/// <c>PIPELINES_PROFILE_SECONDS</c>) so a sampling profiler (<c>perf record</c>, <c>dotnet-trace</c>) sees that shape
/// alone; each rep prints its time, the share of it the GC paused the process and the bytes allocated per op. Shapes:
/// <c>fan-out</c>, <c>tree</c>, <c>diamond</c> (the quick mode's, on <c>ThreadPoolExecutor(maxWorkers: cores)</c>, or
/// <c>PIPELINES_PROFILE_WORKERS</c>); <c>inline-call</c> (a whole call on an <see cref="InlineExecutor"/>); <c>PIPELINES_PROFILE_MONITOR=1</c> opens a monitor first, <c>=page</c> the dashboard with a page connected; <c>tree-inline</c> (the tree on an <see cref="InlineExecutor"/>: the single-thread
/// cost); <c>tree-async</c> and <c>diamond-dataflow</c> (the baselines); <c>tree-phases</c> (the tree, saying when the
/// submitting thread finished and when the root completed: which side is the bottleneck); <c>generator-edit</c>, <c>mvvm-edit</c> and
/// <c>floor-edit</c> (one unrelated edit after another on one generator driver, as an IDE runs it per keystroke, for
/// Pipelines' generator, for CommunityToolkit.Mvvm's and for the floor under any [Submittable] generator; after a
/// quarter of the time untimed, each prints the median wall and CPU time per edit, and the bytes allocated and the GC pause per edit).
/// </summary>
internal static class Profile
{
    private static long InlineCalls(InlineExecutor inline, int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += inline.SubmitInc(i).GetResult();
        }

        return sum;
    }

    public static int Run(string shape, int seconds = 20, int? workers = null)
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: workers ?? Environment.ProcessorCount);
        using IDisposable? monitor = Environment.GetEnvironmentVariable("PIPELINES_PROFILE_MONITOR") switch
        {
            "1" => Diagnostics.PipelineMonitor.Start(),
            "page" => DashboardPage.Open(),
            _ => null,
        };
        using var inline = new InlineExecutor();
        if (shape is "generator-edit" or "mvvm-edit" or "floor-edit")
        {
            return GeneratorEdits(shape switch { "mvvm-edit" => GeneratorAnchors.Mvvm, "floor-edit" => GeneratorSubject.Floor, _ => GeneratorSubject.Pipelines }, seconds);
        }

        (int ops, Func<long> run, long expected) = shape switch
        {
            "fan-out" => (1_000_000, (Func<long>)(() => Workloads.FanOutStub(executor, 1_000_000)), Workloads.Expected.FanOut(1_000_000)),
            "tree" => (1 << 20, () => Workloads.TreeStub(executor, 1 << 20), Workloads.Expected.Tree(1 << 20)),
            "inline-call" => (1_000_000, () => InlineCalls(inline, 1_000_000), Workloads.Expected.FanOut(1_000_000)),
            "tree-inline" => (1 << 20, () => Workloads.TreeStub(inline, 1 << 20), Workloads.Expected.Tree(1 << 20)),
            "tree-async" => (1 << 20, () => Workloads.TreeAsyncAwait(1 << 20), Workloads.Expected.Tree(1 << 20)),
            "tree-phases" => (1 << 20, () => TreePhases(executor, 1 << 20), Workloads.Expected.Tree(1 << 20)),
            "diamond" => (200_000, () => Workloads.DiamondStub(executor, 200_000), Workloads.Expected.Diamond(200_000)),
            "diamond-dataflow" => (200_000, () => Workloads.DiamondDataflow(200_000), Workloads.Expected.Diamond(200_000)),
            _ => (0, () => 0, 0),
        };
        if (ops == 0)
        {
            Console.Error.WriteLine("--profile needs a shape: fan-out, tree, tree-inline, tree-async, tree-phases, diamond, diamond-dataflow, generator-edit, mvvm-edit or floor-edit");
            return 1;
        }

        var total = Stopwatch.StartNew();
        int reps = 0;
        while (total.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            long start = Stopwatch.GetTimestamp();
            TimeSpan paused = GC.GetTotalPauseDuration();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            if (run() != expected)
            {
                throw new InvalidOperationException($"{shape}: wrong checksum");
            }

            reps++;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            Console.WriteLine($"{shape}: {elapsed.TotalNanoseconds / ops:F0} ns/op; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / ops:F0} ns/op (all threads); GC paused {(GC.GetTotalPauseDuration() - paused) / elapsed:P0} of it; GCs gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}; allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)ops:F0} B/op");
        }

        Console.WriteLine($"{shape}: {reps} reps");
        return 0;
    }

    private static long TreePhases(IExecutor executor, int leaves)
    {
        long start = Stopwatch.GetTimestamp();
        var level = new Future<long>[leaves];
        for (int i = 0; i < leaves; i++)
        {
            level[i] = Future.FromResult((long)i);
        }

        double leavesMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        int submits = 0;
        int pendingAtSubmit = 0;
        while (level.Length > 1)
        {
            var next = new Future<long>[(level.Length + 1) / 2];
            for (int i = 0; i < level.Length / 2; i++)
            {
                pendingAtSubmit += level[2 * i].IsDone ? 0 : 1;
                submits++;
                next[i] = executor.SubmitAdd(level[2 * i], level[(2 * i) + 1]);
            }

            if (level.Length % 2 == 1)
            {
                next[^1] = level[^1];
            }

            level = next;
        }

        double submitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long result = level[0].GetResult();
        double totalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Console.WriteLine($"tree-phases: leaves made by {leavesMs:F0} ms, last submit at {submitMs:F0} ms, root done at {totalMs:F0} ms; first argument still pending at submit: {100.0 * pendingAtSubmit / submits:F0}% of calls");
        return result;
    }

    /// <summary>Runs a generator after one unrelated edit after another, on one driver: what an IDE pays per keystroke.</summary>
    private static int GeneratorEdits(GeneratorSubject subject, int seconds)
    {
        GeneratorRun run = GeneratorRun.Create(subject, 1000, salt: "P");
        Microsoft.CodeAnalysis.GeneratorDriver driver = run.Run(run.CreateDriver(), run.Compilation, out _);

        // Edits for a quarter of the time, untimed, so the figures are of tiered-up code rather than of the JIT.
        var warmUp = Stopwatch.StartNew();
        for (int edit = -1; warmUp.Elapsed < TimeSpan.FromSeconds(seconds / 4.0); edit--)
        {
            driver = driver.RunGenerators(run.WithUnrelatedEdit(edit));
        }

        var total = Stopwatch.StartNew();
        var times = new System.Collections.Generic.List<double>();
        var cpuTimes = new System.Collections.Generic.List<double>(); // all of the process's threads: the GC's and the JIT's too
        using var process = Process.GetCurrentProcess();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan paused = GC.GetTotalPauseDuration();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        for (int edit = 1; total.Elapsed < TimeSpan.FromSeconds(seconds); edit++)
        {
            Microsoft.CodeAnalysis.Compilation edited = run.WithUnrelatedEdit(edit);
            TimeSpan cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(edited); // only the run, not GeneratorRun's output checks: the profile sees the run
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            cpuTimes.Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
        }

        // Includes making each edited compilation (small: one tree replaced), which the timed runs exclude.
        double perEdit = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)times.Count;
        TimeSpan pausedPerEdit = (GC.GetTotalPauseDuration() - paused) / times.Count;
        string gcs = $"gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}";
        times.Sort();
        cpuTimes.Sort();
        Console.WriteLine($"{subject.Name}: {times.Count} unrelated edits, median {times[times.Count / 2]:F1} ms, best {times[0]:F1} ms; CPU median {cpuTimes[cpuTimes.Count / 2]:F1} ms; allocated {perEdit / (1 << 20):F2} MiB and GC paused {pausedPerEdit.TotalMilliseconds:F1} ms per edit; GCs {gcs}");
        return 0;
    }
}
