using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.CodeAnalysis;
using Pipelines.Benchmarks.Remote;

namespace Pipelines.Benchmarks;

// The careful runs: `dotnet run -c Release --project benchmarks/Pipelines.Benchmarks -- --filter *`.
// Each benchmark is one whole workload; OperationsPerInvoke turns the time into ns per call (per leaf, per item).

/// <summary>Submit fan-out: 1M trivial calls, then wait for all.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class FanOutBenchmarks
{
    public const int N = 1_000_000;
    private ThreadPoolExecutor _executor = null!;

    [GlobalSetup]
    public void Setup() => _executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(OperationsPerInvoke = N, Description = "generated SubmitInc")]
    public long Stub() => Workloads.FanOutStub(_executor, N);

    [Benchmark(OperationsPerInvoke = N, Description = "Submit(Func<T>)")]
    public long SubmitFunc() => Workloads.FanOutSubmitFunc(_executor, N);

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Task.Run + Task.WhenAll")]
    public long TaskRun() => Workloads.FanOutTaskRun(N);

    [Benchmark(OperationsPerInvoke = N, Description = "raw IThreadPoolWorkItem + countdown")]
    public long RawWorkItem() => Workloads.FanOutRawWorkItem(N);

    [Benchmark(OperationsPerInvoke = N, Description = "Dataflow TransformBlock")]
    public long Dataflow() => Workloads.FanOutDataflow(N);
}

/// <summary>Futures as arguments: a pairwise tree reduction over 1M leaves.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class TreeBenchmarks
{
    public const int Leaves = 1 << 20;
    private ThreadPoolExecutor _executor = null!;

    [GlobalSetup]
    public void Setup() => _executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(OperationsPerInvoke = Leaves, Description = "SubmitAdd over futures")]
    public long Stub() => Workloads.TreeStub(_executor, Leaves);

    [Benchmark(Baseline = true, OperationsPerInvoke = Leaves, Description = "Task.WhenAll(a, b).ContinueWith")]
    public long ContinueWith() => Workloads.TreeWhenAllContinueWith(Leaves);

    [Benchmark(OperationsPerInvoke = Leaves, Description = "async/await")]
    public long AsyncAwait() => Workloads.TreeAsyncAwait(Leaves);
}

/// <summary>A diamond per item (Load → Left, Right → Combine), all fanned in to one sum.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class DiamondBenchmarks
{
    public const int N = 200_000;
    private ThreadPoolExecutor _executor = null!;

    [GlobalSetup]
    public void Setup() => _executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(OperationsPerInvoke = N, Description = "stubs (SubmitLoad, ThenLeft, ThenRight, SubmitCombine)")]
    public long Stub() => Workloads.DiamondStub(_executor, N);

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Dataflow (Broadcast + Join)")]
    public long Dataflow() => Workloads.DiamondDataflow(N);
}

/// <summary>An ordered map over 1M items.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class MapBenchmarks
{
    public const int N = 1_000_000;
    private ThreadPoolExecutor _executor = null!;

    [GlobalSetup]
    public void Setup() => _executor = new ThreadPoolExecutor(maxWorkers: Environment.ProcessorCount);

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(OperationsPerInvoke = N, Description = "executor.Map")]
    public long Map() => Workloads.MapPipelines(_executor, N, null);

    [Benchmark(OperationsPerInvoke = N, Description = "executor.Map(bufferSize: 1024)")]
    public long MapWindowed() => Workloads.MapPipelines(_executor, N, 1024);

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Parallel.ForEachAsync")]
    public long ParallelForEachAsync() => Workloads.MapParallelForEachAsync(N);

    [Benchmark(OperationsPerInvoke = N, Description = "Dataflow TransformBlock (ordered)")]
    public long Dataflow() => Workloads.MapDataflow(N);
}

/// <summary>
/// Per-call overhead of a process pool: the same generated stubs on ProcessPoolExecutor and ThreadPoolExecutor,
/// both maxWorkers: 2. Worker processes start in GlobalSetup (a warm-up reaches both) and exit in GlobalCleanup.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class ProcessPoolBenchmarks
{
    private ThreadPoolExecutor _threads = null!;
    private ProcessPoolExecutor _processes = null!;

    [Params("process", "thread")]
    public string Pool { get; set; } = "process";

    private IExecutor Executor => Pool == "process" ? _processes : _threads;

    [GlobalSetup]
    public void Setup()
    {
        _threads = new ThreadPoolExecutor(maxWorkers: 2);
        _processes = new ProcessPoolExecutor(maxWorkers: 2);
        ProcessPoolWorkloads.WarmUp(Executor);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _processes.Dispose();
        _threads.Dispose();
    }

    [Benchmark(OperationsPerInvoke = ProcessPoolWorkloads.AddCalls, Description = "round trip Add(int, int), one call at a time")]
    public long RoundTripAdd() => ProcessPoolWorkloads.AddRoundTrips(Executor, ProcessPoolWorkloads.AddCalls);

    [Benchmark(OperationsPerInvoke = ProcessPoolWorkloads.EchoCalls, Description = "round trip Echo(int[1000]), one call at a time")]
    public long RoundTripEcho() => ProcessPoolWorkloads.EchoRoundTrips(Executor, ProcessPoolWorkloads.EchoCalls);

    [Benchmark(OperationsPerInvoke = ProcessPoolWorkloads.BurstCalls, Description = "burst of 20k Adds, then Futures.Wait(all)")]
    public long BurstAdd() => ProcessPoolWorkloads.AddBurst(Executor, ProcessPoolWorkloads.BurstCalls);
}

/// <summary>Bytes per generated submit: one call on an InlineExecutor (MemoryDiagnoser's Allocated column).</summary>
[MemoryDiagnoser]
public class SubmitAllocationBenchmarks
{
    private InlineExecutor _inline = null!;

    [GlobalSetup]
    public void Setup() => _inline = new InlineExecutor();

    [GlobalCleanup]
    public void Cleanup() => _inline.Dispose();

    [Benchmark(Description = "SubmitInc(int) on InlineExecutor")]
    public Future<int> SubmitInc() => _inline.SubmitInc(1);

    [Benchmark(Description = "SubmitAdd(long, long) on InlineExecutor")]
    public Future<long> SubmitAdd() => _inline.SubmitAdd(1, 2);

    [Benchmark(Baseline = true, Description = "Task.FromResult(Inc(1))")]
    public System.Threading.Tasks.Task<int> TaskFromResult() => System.Threading.Tasks.Task.FromResult(Jobs.Inc(1 + Environment.TickCount % 1000));
}

/// <summary>The generator over 1,000 [Submittable] methods: a full run, and a run after an unrelated edit.</summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private const int Methods = 1000;
    private GeneratorRun _run = null!;
    private GeneratorDriver _afterFirstRun = null!;
    private Compilation _edited = null!;

    private GeneratorRun _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _run = GeneratorRun.Create(GeneratorSubject.Pipelines, Methods);
        _afterFirstRun = _run.Run(_run.CreateDriver(), _run.Compilation, out _);
        _edited = _run.WithUnrelatedEdit(1);
        _floor = GeneratorRun.Create(GeneratorSubject.Floor, Methods);
    }

    [Benchmark(Baseline = true, Description = "full run, 1000 methods")]
    public GeneratorDriver FullRun() => _run.CreateDriver().RunGenerators(_run.Compilation);

    [Benchmark(Description = "after an unrelated edit")]
    public GeneratorDriver AfterUnrelatedEdit() => _afterFirstRun.RunGenerators(_edited);

    [Benchmark(Description = "floor: ForAttributeWithMetadataName, trivial transform")]
    public GeneratorDriver Floor() => _floor.CreateDriver().RunGenerators(_floor.Compilation);
}
