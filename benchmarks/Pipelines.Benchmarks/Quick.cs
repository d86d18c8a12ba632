using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Benchmarks.Remote;

namespace Pipelines.Benchmarks;

/// <summary>
/// The quick mode: a plain Stopwatch harness (one warm-up at full size, then the best of a few interleaved reps)
/// that prints one line per comparison, <c>name: pipelines X ns/op, baseline Y ns/op, ratio X/Y</c>.
/// </summary>
internal static partial class Quick
{
    private const int FanOutCalls = 1_000_000;
    private const int TreeLeaves = 1 << 20;
    private const int Diamonds = 200_000;
    private const int MapItems = 1_000_000;
    private const int EndlessItems = 5_000_000;
    private const int MapWindow = 1024;
    private const int Reps = 3;

    public static int Run()
    {
        var total = Stopwatch.StartNew();
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"# Pipelines quick benchmarks: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"# each number: best of {Reps} interleaved reps after a full-size warm-up (medians in brackets); ThreadPoolExecutor(maxWorkers: {Environment.ProcessorCount})");

        using var executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);
        s_executor = executor;

        // Fan-out.
        Dictionary<string, Result> fan = Measure(
            new Variant("stub", FanOutCalls, () => Workloads.FanOutStub(executor, FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("func", FanOutCalls, () => Workloads.FanOutSubmitFunc(executor, FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("taskrun", FanOutCalls, () => Workloads.FanOutTaskRun(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("raw", FanOutCalls, () => Workloads.FanOutRawWorkItem(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("dataflow", FanOutCalls, () => Workloads.FanOutDataflow(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)));
        Line("fan-out 1M, generated SubmitInc vs Task.Run+WhenAll", fan["stub"], fan["taskrun"], 1.0);
        Line("fan-out 1M, Submit(Func<T>) vs Task.Run+WhenAll", fan["func"], fan["taskrun"], 1.0);
        Line("fan-out 1M, generated SubmitInc vs raw IThreadPoolWorkItem+countdown (the limit)", fan["stub"], fan["raw"], 3.0, "aim");
        Line("fan-out 1M, generated SubmitInc vs Dataflow TransformBlock", fan["stub"], fan["dataflow"]);
        FanOutBreakdown(executor);

        // The same fan-out as users write it: a default pool made for the job, then Futures.Wait / await / AsCompleted.
        Dictionary<string, Result> user = Measure(
            new Variant("wait-all", FanOutCalls, () => UserShapes.DefaultPoolWaitAll(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("task-wait-all", FanOutCalls, () => UserShapes.TaskRunWaitAll(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("await-each", FanOutCalls, () => UserShapes.DefaultPoolAwaitEach(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("task-await-each", FanOutCalls, () => UserShapes.TaskRunAwaitEach(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("as-completed", FanOutCalls, () => UserShapes.DefaultPoolAsCompleted(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("task-when-each", FanOutCalls, () => UserShapes.TaskRunWhenEach(FanOutCalls), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("wait-all-8", FanOutCalls, () => UserShapes.DefaultPoolWaitAll(FanOutCalls, maxWorkers: 8), Workloads.Expected.FanOut(FanOutCalls)),
            new Variant("wait-all-32", FanOutCalls, () => UserShapes.DefaultPoolWaitAll(FanOutCalls, maxWorkers: 32), Workloads.Expected.FanOut(FanOutCalls)));
        Line("user fan-out 1M, new ThreadPoolExecutor() + SubmitInc + Futures.Wait(all) vs Task.Run + Task.WaitAll", user["wait-all"], user["task-wait-all"], 1.0);
        Line("user fan-out 1M, new ThreadPoolExecutor() + SubmitInc + await each vs Task.Run + await each", user["await-each"], user["task-await-each"], 1.0);
        Line("user fan-out 1M, new ThreadPoolExecutor() + SubmitInc + Futures.AsCompleted vs Task.Run + Task.WhenEach", user["as-completed"], user["task-when-each"], 1.0);
        Line("user fan-out 1M, ThreadPoolExecutor(8) + Futures.Wait(all) vs Task.Run + Task.WaitAll", user["wait-all-8"], user["task-wait-all"], 1.0);
        Line("user fan-out 1M, ThreadPoolExecutor(32) + Futures.Wait(all) vs Task.Run + Task.WaitAll", user["wait-all-32"], user["task-wait-all"], 1.0);

        // Futures as arguments.
        Dictionary<string, Result> tree = Measure(
            new Variant("stub", TreeLeaves, () => Workloads.TreeStub(executor, TreeLeaves), Workloads.Expected.Tree(TreeLeaves)),
            new Variant("continuewith", TreeLeaves, () => Workloads.TreeWhenAllContinueWith(TreeLeaves), Workloads.Expected.Tree(TreeLeaves)),
            new Variant("async", TreeLeaves, () => Workloads.TreeAsyncAwait(TreeLeaves), Workloads.Expected.Tree(TreeLeaves)));
        Line("tree reduction 1M leaves (per leaf), SubmitAdd over futures vs Task.WhenAll+ContinueWith", tree["stub"], tree["continuewith"], 0.5);
        Line("tree reduction 1M leaves (per leaf), SubmitAdd over futures vs async/await", tree["stub"], tree["async"]);

        // Diamond / fan-in.
        Dictionary<string, Result> diamond = Measure(
            new Variant("stub", Diamonds, () => Workloads.DiamondStub(executor, Diamonds), Workloads.Expected.Diamond(Diamonds)),
            new Variant("dataflow", Diamonds, () => Workloads.DiamondDataflow(Diamonds), Workloads.Expected.Diamond(Diamonds)));
        Line("diamond 200k x (Load -> Left,Right -> Combine) -> sum (per diamond, 4 calls), stubs vs Dataflow", diamond["stub"], diamond["dataflow"]);

        // Map: memory first, while the heap is still small.
        MapMemory(executor);
        Dictionary<string, Result> map = Measure(
            new Variant("map", MapItems, () => Workloads.MapPipelines(executor, MapItems, null), Workloads.Expected.FanOut(MapItems)),
            new Variant("window", MapItems, () => Workloads.MapPipelines(executor, MapItems, MapWindow), Workloads.Expected.FanOut(MapItems)),
            new Variant("parallel", MapItems, () => Workloads.MapParallelForEachAsync(MapItems), Workloads.Expected.FanOut(MapItems)),
            new Variant("dataflow", MapItems, () => Workloads.MapDataflow(MapItems), Workloads.Expected.FanOut(MapItems)));
        Line("ordered map 1M, executor.Map vs Parallel.ForEachAsync", map["map"], map["parallel"]);
        Line("ordered map 1M, executor.Map vs Dataflow TransformBlock (ordered)", map["map"], map["dataflow"]);
        Line($"ordered map 1M, executor.Map(bufferSize: {MapWindow}) vs Dataflow TransformBlock (ordered)", map["window"], map["dataflow"]);

        WaitOverDoneFutures();
        RealJob.Run();
        Allocations.Report(executor);
        ProcessPoolOverhead();
        GeneratorTimes(reps: 5);
        Python(fan["stub"], tree["stub"]);

        Console.WriteLine($"# quick run took {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>Futures.Wait over 1M futures that are already done, against Task.WaitAll over 1M done tasks: the wait's own cost.</summary>
    internal static int WaitOnly()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        WaitOverDoneFutures();
        return 0;
    }

    private static void WaitOverDoneFutures()
    {
        const int n = 1_000_000;
        using var inline = new InlineExecutor();
        var futures = new Future<int>[n];
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = inline.SubmitInc(i);
            tasks[i] = Task.FromResult(i + 1);
        }

        var pipelines = new List<double>();
        var baseline = new List<double>();
        var readDone = new List<double>();
        for (int rep = -1; rep < 5; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            (IReadOnlyList<Future<int>> done, _) = Futures.Wait(futures);
            double waitNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
            start = Stopwatch.GetTimestamp();
            Task.WaitAll(tasks);
            double taskNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;

            // What a caller that reads the Done list pays on top: its duplicates are removed at the first read.
            start = Stopwatch.GetTimestamp();
            int doneCount = done.Count;
            double readNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
            if (doneCount != n)
            {
                throw new InvalidOperationException($"Futures.Wait returned {doneCount} done futures of {n}");
            }

            if (rep >= 0)
            {
                pipelines.Add(waitNs);
                baseline.Add(taskNs);
                readDone.Add(readNs);
            }
        }

        Line("Futures.Wait over 1M done futures vs Task.WaitAll over 1M done tasks", new Result(pipelines.Min(), Median(pipelines)), new Result(baseline.Min(), Median(baseline)), 3.0);
        Console.WriteLine($"Futures.Wait over 1M done futures, then reading its Done list (duplicates removed at the first read): +{readDone.Min():F0} ns/future (median {Median(readDone):F0})");
    }

    private static ThreadPoolExecutor? s_executor;

    /// <summary>A run that takes this long is stuck: say where, with the pool's counters, and exit rather than hang silently.</summary>
    private static IDisposable Watchdog(string what) =>
        new Timer(
            _ =>
            {
                ThreadPoolExecutor? pool = s_executor;
                Console.Error.WriteLine($"WATCHDOG: '{what}' has run for {WatchdogSeconds} s; presumed hung. ThreadPoolExecutor: workers {pool?.WorkerCount}, idle {pool?.IdleWorkerCount}, queued {pool?.QueuedCount}; .NET thread pool: threads {ThreadPool.ThreadCount}, pending {ThreadPool.PendingWorkItemCount}");
                Environment.Exit(2);
            },
            null,
            TimeSpan.FromSeconds(WatchdogSeconds),
            Timeout.InfiniteTimeSpan);

    private const int WatchdogSeconds = 90;

    private static Dictionary<string, Result> Measure(params Variant[] variants)
    {
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (int rep = -1; rep < Reps; rep++)
        {
            foreach (Variant variant in variants)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long start = Stopwatch.GetTimestamp();
                long checksum;
                using (Watchdog(variant.Name))
                {
                    checksum = variant.Run();
                }

                double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / variant.Ops;
                if (checksum != variant.Expected)
                {
                    throw new InvalidOperationException($"{variant.Name}: checksum {checksum}, expected {variant.Expected}");
                }

                if (rep >= 0)
                {
                    times[variant.Name].Add(ns);
                }
            }
        }

        return times.ToDictionary(kv => kv.Key, kv => new Result(kv.Value.Min(), Median(kv.Value)));
    }

    private static void Line(string name, Result pipelines, Result baseline, double? target = null, string kind = "target", string pipelinesLabel = "pipelines", string baselineLabel = "baseline")
    {
        double ratio = pipelines.Best / baseline.Best;
        string verdict = target is { } t ? $"  [{kind} <= {t:F2}: {(ratio <= t ? "met" : "MISSED")}]" : "";
        Console.WriteLine($"{name}: {pipelinesLabel} {pipelines.Best:F0} ns/op, {baselineLabel} {baseline.Best:F0} ns/op, ratio {ratio:F2}{verdict} (medians {pipelines.Median:F0}/{baseline.Median:F0})");
    }

    internal static int Breakdown()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);
        FanOutBreakdown(executor);
        return 0;
    }

    /// <summary>Where a fan-out's time goes: the submit loop alone, and a call's whole life with no thread hand-off.</summary>
    private static void FanOutBreakdown(ThreadPoolExecutor executor)
    {
        using var inline = new InlineExecutor();
        var submitLoop = new List<double>();
        var inlineLife = new List<double>();
        var inlineDropped = new List<double>();
        int gen0Dropped = 0;
        var futures = new Future<int>[FanOutCalls];
        for (int rep = 0; rep < Reps; rep++)
        {
            GC.Collect();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < FanOutCalls; i++)
            {
                futures[i] = executor.SubmitInc(i);
            }

            submitLoop.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / FanOutCalls);
            foreach (Future<int> future in futures)
            {
                future.Wait();
            }

            GC.Collect();
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < FanOutCalls; i++)
            {
                futures[i] = inline.SubmitInc(i);
            }

            inlineLife.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / FanOutCalls);

            GC.Collect();
            int gen0 = GC.CollectionCount(0);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < FanOutCalls; i++)
            {
                _ = inline.SubmitInc(i);
            }

            inlineDropped.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / FanOutCalls);
            gen0Dropped = GC.CollectionCount(0) - gen0;
        }

        Array.Clear(futures);

        Console.WriteLine($"fan-out breakdown: the submit loop alone {submitLoop.Min():F0} ns/call on the submitting thread (workers running meanwhile); a whole call on InlineExecutor (allocate, accept, run, complete; no hand-off) {inlineLife.Min():F0} ns/call kept in an array (every object survives its gen0 GC, as in the fan-out), {inlineDropped.Min():F0} ns/call dropped at once ({gen0Dropped} gen0 GCs per 1M)");
    }

    private static void MapMemory(ThreadPoolExecutor executor)
    {
        static double LiveMb()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        }

        static double WorkingSetMb()
        {
            using var self = Process.GetCurrentProcess();
            return self.WorkingSet64 / 1048576.0;
        }

        double liveBefore = LiveMb();
        double wsBefore = WorkingSetMb();
        var liveAt = new List<double>();
        double peakWs = wsBefore;
        double peakHeap = 0;
        long sum = 0;
        int seen = 0;
        long start = Stopwatch.GetTimestamp();
        double pausedNs = 0;
        foreach (int result in executor.Map(Jobs.Inc, Workloads.Endless(EndlessItems), bufferSize: MapWindow))
        {
            sum += result;
            if (++seen % 100_000 == 0)
            {
                long pause = Stopwatch.GetTimestamp();
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false) / 1048576.0);
                peakWs = Math.Max(peakWs, WorkingSetMb());
                if (seen % 1_000_000 == 0)
                {
                    liveAt.Add(LiveMb());
                }

                pausedNs += Stopwatch.GetElapsedTime(pause).TotalNanoseconds;
            }
        }

        double perItem = (Stopwatch.GetElapsedTime(start).TotalNanoseconds - pausedNs) / EndlessItems;
        if (sum != Workloads.Expected.FanOut(EndlessItems))
        {
            throw new InvalidOperationException("map memory: wrong checksum");
        }

        double liveAfter = LiveMb();
        double wsAfter = WorkingSetMb();
        Console.WriteLine(
            $"map memory, 5M lazy items, bufferSize {MapWindow}: {perItem:F0} ns/item; live heap before {liveBefore:F1} MB, " +
            $"at 1M..5M {string.Join("/", liveAt.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))} MB, after {liveAfter:F1} MB, peak GC heap incl. garbage {peakHeap:F1} MB; " +
            $"working set before {wsBefore:F0} MB, peak {peakWs:F0} MB, after {wsAfter:F0} MB  [flat: {(liveAt.Max() - liveAt.Min() < 1.0 ? "yes" : "NO")}]");
    }

    /// <summary>
    /// The generator lines: Pipelines beside CommunityToolkit.Mvvm's [RelayCommand] and the [LoggerMessage] generator
    /// and the ForAttributeWithMetadataName floor, 1,000 attributed methods each, interleaved in one process. Timed
    /// runs are untracked (as the compiler and the IDE run generators): a full run on a fresh driver, then an edit of an
    /// unrelated file, then an edit of 50 method bodies. One tracked run afterwards reports how Pipelines' steps ended.
    /// </summary>
    internal static void GeneratorTimes(int reps = 9)
    {
        const int Methods = 1000;
        GeneratorSubject[] subjects = { GeneratorSubject.Pipelines, GeneratorAnchors.Mvvm, GeneratorAnchors.Logging, GeneratorSubject.Floor };
        var first = new Dictionary<string, double>();
        var full = subjects.ToDictionary(s => s.Name, _ => new List<double>());
        var unrelated = subjects.ToDictionary(s => s.Name, _ => new List<double>());
        var body = subjects.ToDictionary(s => s.Name, _ => new List<double>());
        foreach (GeneratorSubject subject in subjects)
        {
            GeneratorRun cold = GeneratorRun.Create(subject, Methods, salt: "C");
            cold.Run(cold.CreateDriver(), cold.Compilation, out double ms);
            first[subject.Name] = ms;
        }

        for (int rep = 0; rep < reps; rep++)
        {
            // Rotate the order, so no generator always runs right after the same neighbour's garbage.
            for (int i = 0; i < subjects.Length; i++)
            {
                GeneratorSubject subject = subjects[(i + rep) % subjects.Length];
                GeneratorRun run = GeneratorRun.Create(subject, Methods, salt: "R" + rep);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Microsoft.CodeAnalysis.GeneratorDriver driver = run.Run(run.CreateDriver(), run.Compilation, out double ms);
                full[subject.Name].Add(ms);
                run.Run(driver, run.WithUnrelatedEdit(rep + 1), out ms);
                unrelated[subject.Name].Add(ms);
                run.Run(driver, run.WithBodyEdit(rep + 1), out ms);
                body[subject.Name].Add(ms);
            }
        }

        // Step reasons from a tracked driver: never timed (tracking's bookkeeping is not what compilers pay).
        GeneratorRun tracked = GeneratorRun.Create(GeneratorSubject.Pipelines, Methods, salt: "T");
        Microsoft.CodeAnalysis.GeneratorDriver trackedDriver = tracked.Run(tracked.CreateDriver(tracked: true), tracked.Compilation, out _);
        (bool unrelatedReused, string unrelatedSteps) = GeneratorRun.StepReasons(tracked.Run(trackedDriver, tracked.WithUnrelatedEdit(1), out _));
        (bool bodyReused, string bodySteps) = GeneratorRun.StepReasons(tracked.Run(trackedDriver, tracked.WithBodyEdit(1), out _));

        Console.WriteLine($"generator, {Methods} attributed methods each, untracked, median of {reps} interleaved reps (ms): full run / after an unrelated edit / after editing 50 bodies; first run (JIT included)");
        foreach (GeneratorSubject subject in subjects)
        {
            string name = subject.Name == GeneratorSubject.Floor.Name ? "floor (ForAttributeWithMetadataName, trivial transform)" : subject.Name;
            Console.WriteLine($"generator,   {name}: {Median(full[subject.Name]):F1} / {Median(unrelated[subject.Name]):F1} / {Median(body[subject.Name]):F1}; first {first[subject.Name]:F0}");
        }

        string pipelines = GeneratorSubject.Pipelines.Name;
        string mvvm = GeneratorAnchors.Mvvm.Name;
        double editRatio = Median(unrelated[pipelines]) / Median(unrelated[mvvm]);
        double fullRatio = Median(full[pipelines]) / Median(full[mvvm]);
        Console.WriteLine($"generator, Pipelines vs Mvvm after an unrelated edit: ratio {editRatio:F2}  [target <= 1.5: {(editRatio <= 1.5 ? "met" : "MISSED")}]; full run: ratio {fullRatio:F2}  [target <= 1.0: {(fullRatio <= 1.0 ? "met" : "MISSED")}]");
        Console.WriteLine($"generator, Pipelines steps after an unrelated edit, all Cached/Unchanged: {(unrelatedReused ? "yes" : "NO")} ({unrelatedSteps})");
        Console.WriteLine($"generator, Pipelines steps after editing 50 bodies, all Cached/Unchanged: {(bodyReused ? "yes" : "NO")} ({bodySteps})");
    }

    private static void Python(Result fanOut, Result tree)
    {
        const int PyFanOut = 100_000;
        const int PyLeaves = 1 << 15;
        Dictionary<string, string>? py = PythonReference.Run(PyFanOut, PyLeaves, reps: 2, out string note);
        if (py is null)
        {
            Console.WriteLine($"python reference: skipped — {note}");
            return;
        }

        double pyFan = double.Parse(py["fanout"], CultureInfo.InvariantCulture);
        double pyTree = double.Parse(py["tree"], CultureInfo.InvariantCulture);
        string version = py.TryGetValue("version", out string? v) ? v : "?";
        PythonLine($"python {version} concurrent.futures fan-out (100k submits, max_workers={Environment.ProcessorCount}) vs Pipelines fan-out 1M", fanOut.Best, pyFan);
        PythonLine($"python {version} concurrent.futures tree reduction (32k leaves, add_done_callback chaining) vs Pipelines tree 1M", tree.Best, pyTree);
    }

    private static void PythonLine(string name, double pipelines, double python)
    {
        double ratio = pipelines / python;
        Console.WriteLine($"{name}: pipelines {pipelines:F0} ns/op, baseline {python:F0} ns/op, ratio {ratio:F3}  [Python {python / pipelines:F0}x slower per task; target >= 50x: {(python / pipelines >= 50 ? "met" : "MISSED")}]");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Variant(string Name, int Ops, Func<long> Run, long Expected);

    private readonly record struct Result(double Best, double Median);
}
