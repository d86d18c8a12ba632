using System.Threading.Tasks;

namespace Pipelines.Benchmarks;

/// <summary>
/// The fan-out as a new user writes it, beside the same shape in plain TPL: a default-sized pool created for the job
/// (<c>new ThreadPoolExecutor()</c>, no tuning), then <c>Futures.Wait(all)</c>, <c>await</c> of each future, or
/// <c>Futures.AsCompleted</c>. The harness shapes in <see cref="Workloads"/> reuse one pool sized to the cores and
/// read results with a GetResult loop, which flatters the executor; these do not.
/// </summary>
public static class UserShapes
{
    public static long DefaultPoolWaitAll(int n, int? maxWorkers = null)
    {
        using var pool = maxWorkers is { } workers ? new ThreadPoolExecutor(workers) : new ThreadPoolExecutor();
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = pool.SubmitInc(i);
        }

        Futures.Wait(futures);
        long sum = 0;
        foreach (Future<int> future in futures)
        {
            sum += future.GetResult();
        }

        return sum;
    }

    public static long TaskRunWaitAll(int n)
    {
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            int x = i;
            tasks[i] = Task.Run(() => Jobs.Inc(x));
        }

        Task.WaitAll(tasks);
        long sum = 0;
        foreach (Task<int> task in tasks)
        {
            sum += task.Result;
        }

        return sum;
    }

    public static long DefaultPoolAwaitEach(int n) => DefaultPoolAwaitEachAsync(n).GetAwaiter().GetResult();

    private static async Task<long> DefaultPoolAwaitEachAsync(int n)
    {
        await using var pool = new ThreadPoolExecutor();
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = pool.SubmitInc(i);
        }

        long sum = 0;
        foreach (Future<int> future in futures)
        {
            sum += await future;
        }

        return sum;
    }

    public static long TaskRunAwaitEach(int n) => TaskRunAwaitEachAsync(n).GetAwaiter().GetResult();

    private static async Task<long> TaskRunAwaitEachAsync(int n)
    {
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            int x = i;
            tasks[i] = Task.Run(() => Jobs.Inc(x));
        }

        long sum = 0;
        foreach (Task<int> task in tasks)
        {
            sum += await task;
        }

        return sum;
    }

    public static long DefaultPoolAsCompleted(int n)
    {
        using var pool = new ThreadPoolExecutor();
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = pool.SubmitInc(i);
        }

        long sum = 0;
        foreach (Future<int> future in Futures.AsCompleted(futures))
        {
            sum += future.GetResult();
        }

        return sum;
    }

    public static long TaskRunWhenEach(int n) => TaskRunWhenEachAsync(n).GetAwaiter().GetResult();

    private static async Task<long> TaskRunWhenEachAsync(int n)
    {
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            int x = i;
            tasks[i] = Task.Run(() => Jobs.Inc(x));
        }

        long sum = 0;
        await foreach (Task<int> task in Task.WhenEach(tasks))
        {
            sum += task.Result;
        }

        return sum;
    }
}
