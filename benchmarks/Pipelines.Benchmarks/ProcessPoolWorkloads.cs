using System;
using System.Linq;

// A namespace of its own: RemoteJobs.Add(int, int) gets a SubmitAdd stub, as Jobs.Add(long, long) does; inside this
// namespace the nearer RemoteJobsStubs wins, and the other workloads never see it.
namespace Pipelines.Benchmarks.Remote;

/// <summary>
/// The calls the process-pool benchmark sends to worker processes and, for the baseline, to a thread pool. Workers are
/// this executable started again, so these are static methods of this project: the generator registers them and
/// enters the worker loop from a module initializer.
/// </summary>
public static partial class RemoteJobs
{
    [Submittable]
    public static int Add(int a, int b) => a + b;

    [Submittable]
    public static int[] Echo(int[] v) => v;

    /// <summary>Python's trivial <c>inc</c>, for the typed map against <c>ProcessPoolExecutor.map</c>.</summary>
    [Submittable]
    public static int Inc(int x) => x + 1;
}

/// <summary>
/// Per-call overhead of a <see cref="ProcessPoolExecutor"/> against a <see cref="ThreadPoolExecutor"/>, through
/// the same generated stubs. Each returns a checksum that <see cref="Expected"/> verifies.
/// </summary>
public static class ProcessPoolWorkloads
{
    public const int AddCalls = 2000;
    public const int EchoCalls = 500;
    public const int EchoLength = 1000;
    public const int BurstCalls = 20_000;
    public const int MapItems = 100_000;

    public static class Expected
    {
        // Sum of Add(i, 1) for i in [0, n).
        public static long Add(int n) => ((long)n * (n - 1) / 2) + n;

        // Sum of result[0] + result[^1] where call k sends k in [0] and EchoLength - 1 in [^1].
        public static long Echo(int n) => ((long)n * (n - 1) / 2) + ((long)n * (EchoLength - 1));
    }

    /// <summary>The typed map of 100k small items: <c>executor.MapInc(items, chunkSize)</c>, summed.</summary>
    public static long MapInc(IExecutor executor, int n, int? chunkSize)
    {
        long sum = 0;
        foreach (int result in executor.MapInc(Enumerable.Range(0, n), chunkSize: chunkSize))
        {
            sum += result;
        }

        return sum;
    }

    /// <summary>Starts the workers (a pool starts them on demand: a burst reaches every one), then warms each up.</summary>
    public static void WarmUp(IExecutor executor, int calls = 200)
    {
        Check("warm-up burst", AddBurst(executor, calls), Expected.Add(calls));
        Check("warm-up round trips", AddRoundTrips(executor, calls), Expected.Add(calls));
        Check("warm-up echo", EchoRoundTrips(executor, calls), Expected.Echo(calls));
    }

    /// <summary>One call at a time: submit, wait for the result, next.</summary>
    public static long AddRoundTrips(IExecutor executor, int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += executor.SubmitAdd(i, 1).GetResult();
        }

        return sum;
    }

    /// <summary>One call at a time with a <see cref="EchoLength"/>-int array each way.</summary>
    public static long EchoRoundTrips(IExecutor executor, int n)
    {
        int[] v = new int[EchoLength];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = i;
        }

        long sum = 0;
        for (int k = 0; k < n; k++)
        {
            v[0] = k;
            int[] result = executor.SubmitEcho(v).GetResult();
            sum += result[0] + result[^1];
        }

        return sum;
    }

    /// <summary>Submits n calls, then <see cref="Futures.Wait{TFuture}"/> on all of them.</summary>
    public static long AddBurst(IExecutor executor, int n)
    {
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = executor.SubmitAdd(i, 1);
        }

        Futures.Wait(futures);
        long sum = 0;
        foreach (Future<int> future in futures)
        {
            sum += future.GetResult();
        }

        return sum;
    }

    private static void Check(string what, long checksum, long expected)
    {
        if (checksum != expected)
        {
            throw new InvalidOperationException($"{what}: checksum {checksum}, expected {expected}");
        }
    }
}
