using System.Collections.Generic;

namespace Pipelines.Analyzers.Tests.Corpus;

/// <summary>
/// Programs that run: each has a <c>public static async Task&lt;string&gt; Program.Run()</c> whose text depends only on
/// what the program computes, and code that every fixable rule reports (PIPE0001's awaits and passed futures,
/// PIPE0003's passed futures, PIPE0100's discards and awaits). <see cref="FixedProgramTests"/> applies each fix with
/// Fix All and checks that the program still compiles and returns the same text.
/// </summary>
internal static class RunnablePrograms
{
    private const string Header = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Pipelines;

        namespace Corpus;

        public static partial class Jobs
        {
            public static readonly ConcurrentQueue<string> Log = new();

            [Submittable] public static int Add(int a, int b) => a + b;

            [Submittable] public static int Record(string what, int value) { Log.Enqueue($"{what}={value}"); return value; }

            [Submittable] public static async Task<int> SlowAsync(int value, CancellationToken ct) { await Task.Delay(20, ct); return value; }
        }

        """;

    public static IReadOnlyDictionary<string, string> All { get; } = new SortedDictionary<string, string>(System.StringComparer.Ordinal)
    {
        ["BlockingWaitsInExecutorWork"] = Header + """
            public static partial class Jobs
            {
                [Submittable]
                public static async Task<int> SumOf(Future<int> f, Future<int> g, List<Future<int>> all)
                {
                    await Task.Yield();
                    int a = f.GetResult();
                    int b = g.GetAwaiter().GetResult();
                    var (done, _) = Futures.Wait(all);
                    Task<int> five = Task.FromResult(5);
                    return a + b + done.Count + five.Result;
                }
            }

            public static class Program
            {
                public static async Task<string> Run()
                {
                    await using var pool = new ThreadPoolExecutor(maxWorkers: 2);
                    Future<int> a = pool.SubmitAdd(1, 2);
                    Future<int> b = pool.SubmitSlowAsync(4);
                    var all = new List<Future<int>> { a, b, pool.SubmitAdd(5, 6) };
                    Future<int> sum = pool.SubmitSumOf(a, b, all);
                    Future<int> inLambda = pool.Submit(async () =>
                    {
                        await Task.Yield();
                        return a.GetResult() * 10 + pool.SubmitAdd(b.GetResult(), 1).GetResult();
                    });
                    return $"{await sum} {await inLambda}";
                }
            }
            """,
        ["BlockingResultsPassedToStubs"] = Header + """
            public static class Program
            {
                public static async Task<string> Run()
                {
                    await using var pool = new ThreadPoolExecutor(maxWorkers: 2);
                    Future<int> a = pool.SubmitSlowAsync(3);
                    Future<short> small = Future.FromResult((short)2);
                    Future<int> sum = pool.SubmitAdd(a.GetResult(), small.GetResult());
                    Future<int> chained = pool.SubmitAdd(a.GetResult(), 1).ThenAdd(a.GetAwaiter().GetResult());
                    return $"{await sum} {await chained}";
                }
            }
            """,
        ["DroppedFutures"] = Header + """
            public static class Program
            {
                public static void StartSync(IExecutor pool) => pool.SubmitRecord("sync", 1);

                public static async Task<string> Run()
                {
                    await using (var pool = new ThreadPoolExecutor(maxWorkers: 2))
                    {
                        pool.SubmitRecord("dropped", 2);
                        StartSync(pool);
                        Future<int> kept = pool.SubmitSlowAsync(3);
                        kept.CancelAfter(TimeSpan.FromMinutes(5));
                        pool.SubmitRecord("deadline", 4).CancelAfter(TimeSpan.FromMinutes(5));
                        Future<int> slow = pool.Submit(ct => { ct.WaitHandle.WaitOne(TimeSpan.FromMinutes(1)); ct.ThrowIfCancellationRequested(); return 0; });
                        slow.CancelAfter(TimeSpan.FromMilliseconds(50));
                        pool.Submit(ct => { ct.WaitHandle.WaitOne(TimeSpan.FromMinutes(1)); return 0; }).CancelAfter(TimeSpan.FromMilliseconds(50));
                        try
                        {
                            await slow;
                        }
                        catch (OperationCanceledException)
                        {
                            Jobs.Log.Enqueue("slow=cancelled");
                        }

                        pool.Submit(() => Jobs.Record("lambda", 5));
                        await Task.WhenAll(new[] { 6, 7 }.Select(async i =>
                        {
                            await Task.Yield();
                            pool.SubmitRecord("loop", i);
                        }));
                        Jobs.Log.Enqueue($"kept={await kept}");
                    }

                    return string.Join(" ", Jobs.Log.OrderBy(line => line, StringComparer.Ordinal));
                }
            }
            """,
    };
}
