using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Dataflow;

namespace Pipelines.Benchmarks;

/// <summary>
/// Each workload once, as plain methods shared by the quick harness and the BenchmarkDotNet classes. Every one
/// returns a checksum that <see cref="Expected"/> verifies, so a fast wrong answer cannot pass as a result.
/// </summary>
public static class Workloads
{
    public static int Cores => Environment.ProcessorCount;

    public static class Expected
    {
        // Sum of Inc(i) for i in [0, n).
        public static long FanOut(int n) => ((long)n * (n - 1) / 2) + n;

        // Sum of the leaves 0..n-1.
        public static long Tree(int n) => (long)n * (n - 1) / 2;

        public static long Diamond(int n)
        {
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += Jobs.Combine(Jobs.Left(Jobs.Load(i)), Jobs.Right(Jobs.Load(i)));
            }

            return sum;
        }
    }

    // ---------------------------------------------------------------- fan-out: n trivial calls, then wait for all

    public static long FanOutStub(IExecutor executor, int n)
    {
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = executor.SubmitInc(i);
        }

        long sum = 0;
        foreach (Future<int> future in futures)
        {
            sum += future.GetResult();
        }

        return sum;
    }

    public static long FanOutSubmitFunc(IExecutor executor, int n)
    {
        var futures = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            int x = i;
            futures[i] = executor.Submit(() => Jobs.Inc(x));
        }

        long sum = 0;
        foreach (Future<int> future in futures)
        {
            sum += future.GetResult();
        }

        return sum;
    }

    public static long FanOutTaskRun(int n)
    {
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            int x = i;
            tasks[i] = Task.Run(() => Jobs.Inc(x));
        }

        long sum = 0;
        foreach (int result in Task.WhenAll(tasks).GetAwaiter().GetResult())
        {
            sum += result;
        }

        return sum;
    }

    /// <summary>The limit: one object per call, queued straight to the .NET thread pool, and a countdown.</summary>
    public static long FanOutRawWorkItem(int n)
    {
        using var countdown = new CountdownEvent(n);
        var items = new IncItem[n];
        for (int i = 0; i < n; i++)
        {
            var item = new IncItem(i, countdown);
            items[i] = item;
            ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        }

        countdown.Wait();
        long sum = 0;
        foreach (IncItem item in items)
        {
            sum += item.Result;
        }

        return sum;
    }

    public static long FanOutDataflow(int n)
    {
        var transform = new TransformBlock<int, int>(Jobs.Inc, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Cores });
        long sum = 0;
        var sink = new ActionBlock<int>(x => sum += x);
        transform.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        for (int i = 0; i < n; i++)
        {
            transform.Post(i);
        }

        transform.Complete();
        sink.Completion.GetAwaiter().GetResult();
        return sum;
    }

    private sealed class IncItem(int x, CountdownEvent countdown) : IThreadPoolWorkItem
    {
        public int Result;

        public void Execute()
        {
            Result = Jobs.Inc(x);
            countdown.Signal();
        }
    }

    // ---------------------------------------------------------------- futures as arguments: pairwise tree reduction

    public static long TreeStub(IExecutor executor, int leaves)
    {
        var level = new Future<long>[leaves];
        for (int i = 0; i < leaves; i++)
        {
            level[i] = Future.FromResult((long)i);
        }

        while (level.Length > 1)
        {
            var next = new Future<long>[(level.Length + 1) / 2];
            for (int i = 0; i < level.Length / 2; i++)
            {
                next[i] = executor.SubmitAdd(level[2 * i], level[(2 * i) + 1]);
            }

            if (level.Length % 2 == 1)
            {
                next[^1] = level[^1];
            }

            level = next;
        }

        return level[0].GetResult();
    }

    public static long TreeWhenAllContinueWith(int leaves)
    {
        var level = new Task<long>[leaves];
        for (int i = 0; i < leaves; i++)
        {
            level[i] = Task.FromResult((long)i);
        }

        while (level.Length > 1)
        {
            var next = new Task<long>[(level.Length + 1) / 2];
            for (int i = 0; i < level.Length / 2; i++)
            {
                next[i] = Task.WhenAll(level[2 * i], level[(2 * i) + 1]).ContinueWith(static t => Jobs.Add(t.Result[0], t.Result[1]));
            }

            if (level.Length % 2 == 1)
            {
                next[^1] = level[^1];
            }

            level = next;
        }

        return level[0].GetAwaiter().GetResult();
    }

    public static long TreeAsyncAwait(int leaves)
    {
        var level = new Task<long>[leaves];
        for (int i = 0; i < leaves; i++)
        {
            level[i] = Task.FromResult((long)i);
        }

        while (level.Length > 1)
        {
            var next = new Task<long>[(level.Length + 1) / 2];
            for (int i = 0; i < level.Length / 2; i++)
            {
                next[i] = AddAsync(level[2 * i], level[(2 * i) + 1]);
            }

            if (level.Length % 2 == 1)
            {
                next[^1] = level[^1];
            }

            level = next;
        }

        return level[0].GetAwaiter().GetResult();
    }

    private static async Task<long> AddAsync(Task<long> a, Task<long> b) =>
        Jobs.Add(await a.ConfigureAwait(false), await b.ConfigureAwait(false));

    // ---------------------------------------------------------------- diamond: n × (Load → Left, Right → Combine) → sum

    public static long DiamondStub(IExecutor executor, int n)
    {
        var combined = new Future<int>[n];
        for (int i = 0; i < n; i++)
        {
            Future<int> loaded = executor.SubmitLoad(i);
            combined[i] = executor.SubmitCombine(loaded.ThenLeft(), loaded.ThenRight());
        }

        long sum = 0;
        foreach (Future<int> future in combined)
        {
            sum += future.GetResult();
        }

        return sum;
    }

    public static long DiamondDataflow(int n)
    {
        var parallel = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Cores };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        var load = new TransformBlock<int, int>(Jobs.Load, parallel);
        var broadcast = new BroadcastBlock<int>(null);
        var left = new TransformBlock<int, int>(Jobs.Left, parallel);
        var right = new TransformBlock<int, int>(Jobs.Right, parallel);
        var join = new JoinBlock<int, int>(new GroupingDataflowBlockOptions { Greedy = true });
        var combine = new TransformBlock<Tuple<int, int>, int>(pair => Jobs.Combine(pair.Item1, pair.Item2), parallel);
        long sum = 0;
        var aggregate = new ActionBlock<int>(x => sum += x);
        load.LinkTo(broadcast, link);
        broadcast.LinkTo(left, link);
        broadcast.LinkTo(right, link);
        left.LinkTo(join.Target1, link);
        right.LinkTo(join.Target2, link);
        join.LinkTo(combine, link);
        combine.LinkTo(aggregate, link);
        for (int i = 0; i < n; i++)
        {
            load.Post(i);
        }

        load.Complete();
        aggregate.Completion.GetAwaiter().GetResult();
        return sum;
    }

    // ---------------------------------------------------------------- ordered map

    private static readonly Func<int, int> s_inc = Jobs.Inc;

    public static long MapPipelines(IExecutor executor, int n, int? bufferSize)
    {
        long sum = 0;
        foreach (int result in executor.Map(s_inc, Enumerable.Range(0, n), bufferSize: bufferSize))
        {
            sum += result;
        }

        return sum;
    }

    public static long MapParallelForEachAsync(int n)
    {
        var results = new int[n];
        Parallel.ForEachAsync(
            Enumerable.Range(0, n),
            new ParallelOptions { MaxDegreeOfParallelism = Cores },
            (i, _) =>
            {
                results[i] = Jobs.Inc(i);
                return ValueTask.CompletedTask;
            }).GetAwaiter().GetResult();
        long sum = 0;
        foreach (int result in results)
        {
            sum += result;
        }

        return sum;
    }

    public static long MapDataflow(int n)
    {
        var transform = new TransformBlock<int, int>(Jobs.Inc, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Cores, EnsureOrdered = true });
        long sum = 0;
        int expectedNext = 1;
        bool ordered = true;
        var sink = new ActionBlock<int>(x =>
        {
            ordered &= x == expectedNext++;
            sum += x;
        });
        transform.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        for (int i = 0; i < n; i++)
        {
            transform.Post(i);
        }

        transform.Complete();
        sink.Completion.GetAwaiter().GetResult();
        return ordered ? sum : -1;
    }

    /// <summary>A lazy input that is never materialised.</summary>
    public static IEnumerable<int> Endless(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }
}
