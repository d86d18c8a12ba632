using System;
using System.Threading.Tasks;

namespace Pipelines.Benchmarks;

/// <summary>Bytes and objects per generated submit with value-type arguments.</summary>
internal static class Allocations
{
    private const int Submits = 100_000;

    public static void Report(ThreadPoolExecutor pool)
    {
        using var inline = new InlineExecutor();

        // Inline: submit, run and complete all happen on this thread, so every byte of the call's life is counted.
        (double bytes, int objectSize) = PerSubmit(() => inline.SubmitInc(1), i => inline.SubmitInc(i));
        Console.WriteLine($"allocations, generated SubmitInc(int) on InlineExecutor (submit+run+complete): {bytes:F1} bytes/submit, the call object is {objectSize} bytes => {bytes / objectSize:F2} objects/submit  [target 1 object: {(Math.Abs((bytes / objectSize) - 1) < 0.05 ? "met" : "MISSED")}]");

        (bytes, objectSize) = PerSubmit(() => inline.SubmitAdd(1, 2), i => inline.SubmitAdd(i, 2));
        Console.WriteLine($"allocations, generated SubmitAdd(long, long) on InlineExecutor: {bytes:F1} bytes/submit, the call object is {objectSize} bytes => {bytes / objectSize:F2} objects/submit");

        // A pool: bytes on the submitting thread (the queue's segments amortised in), then the whole process
        // (workers completing the calls, and this thread waiting for them).
        for (int i = 0; i < 1000; i++)
        {
            pool.SubmitInc(i).GetResult();
        }

        var futures = new Future<int>[Submits];
        long processBefore = GC.GetTotalAllocatedBytes(precise: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Submits; i++)
        {
            futures[i] = pool.SubmitInc(i);
        }

        long submitter = GC.GetAllocatedBytesForCurrentThread() - before;
        foreach (Future<int> future in futures)
        {
            future.GetResult();
        }

        long process = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
        int size = BaseSize(futures[0].GetType());
        Console.WriteLine($"allocations, generated SubmitInc(int) on ThreadPoolExecutor: {(double)submitter / Submits:F1} bytes/submit on the submitting thread, {(double)process / Submits:F1} bytes/submit process-wide incl. running and waiting, the call object is {size} bytes");

        var tasks = new Task<int>[Submits];
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Submits; i++)
        {
            int x = i;
            tasks[i] = Task.Run(() => Jobs.Inc(x));
        }

        submitter = GC.GetAllocatedBytesForCurrentThread() - before;
        Task.WaitAll(tasks);
        Console.WriteLine($"allocations, baseline Task.Run(() => Inc(x)): {(double)submitter / Submits:F1} bytes/submit on the submitting thread (closure + delegate + Task)");
    }

    private static (double BytesPerSubmit, int ObjectSize) PerSubmit(Func<Future> one, Func<int, Future> submit)
    {
        int size = BaseSize(one().GetType());
        for (int i = 0; i < 1000; i++)
        {
            _ = submit(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Submits; i++)
        {
            _ = submit(i);
        }

        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return ((double)bytes / Submits, size);
    }

    /// <summary>The size of one instance of a (non-array) reference type: the MethodTable's base size.</summary>
    public static unsafe int BaseSize(Type type) => (int)*(uint*)(type.TypeHandle.Value + 4);
}
