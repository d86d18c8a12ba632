using System.Threading.Tasks;
using Pipelines.Analyzers.Tests.Verifiers;
using Pipelines.CodeFixes;
using Pipelines.Generator.Analyzers;
using Xunit;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Fix All in solution scope for every code fix, started the way <c>dotnet format analyzers</c> starts it
/// (<see cref="FixAllRunner"/>): one action fixes every fixable diagnostic of the rule, whatever rewrite each needs,
/// even when the first diagnostic has no fix.
/// </summary>
public class FixAllTests
{
    [Fact]
    public async Task PIPE0001FixesEveryKindOfRewriteInEveryDocument()
    {
        string[] fixedTexts = await FixAllRunner.RunAsync(
            new PIPE0001BlockingWaitInExecutorWorkAnalyzer(),
            new PIPE0001BlockingWaitCodeFixProvider(),
            TestSources.With("""
                public static class Jobs
                {
                    [Submittable]
                    public static async Task<int> Run(IExecutor executor, Future<int> f, Future<int> g, Future<int> h, List<Future<int>> all)
                    {
                        bool ready = h.Wait();
                        int a = f.GetResult();
                        var (done, _) = Futures.Wait(all);
                        Future<int> sum = executor.SubmitAdd(g.GetResult(), a);
                        return a + done.Count + (ready ? 1 : 0) + await sum;
                    }
                }
                """),
            TestSources.Usings + """
                public static class More
                {
                    [Submittable]
                    public static async Task<int> Run(Future<int> f, Task<int> t)
                    {
                        int a = f.GetResult(TimeSpan.FromSeconds(1));
                        return a + t.Result + f.GetAwaiter().GetResult();
                    }
                }
                """);

        Assert.Equal(
            TestSources.With("""
                public static class Jobs
                {
                    [Submittable]
                    public static async Task<int> Run(IExecutor executor, Future<int> f, Future<int> g, Future<int> h, List<Future<int>> all)
                    {
                        bool ready = h.Wait();
                        int a = await f;
                        var (done, _) = await Futures.WaitAsync(all);
                        Future<int> sum = executor.SubmitAdd(g, a);
                        return a + done.Count + (ready ? 1 : 0) + await sum;
                    }
                }
                """),
            fixedTexts[0]);
        Assert.Equal(
            TestSources.Usings + """
                public static class More
                {
                    [Submittable]
                    public static async Task<int> Run(Future<int> f, Task<int> t)
                    {
                        int a = f.GetResult(TimeSpan.FromSeconds(1));
                        return a + await t + await f;
                    }
                }
                """,
            fixedTexts[1]);
    }

    [Fact]
    public async Task PIPE0003PassesEveryFuture()
    {
        string[] fixedTexts = await FixAllRunner.RunAsync(
            new PIPE0003BlockingResultAsStubArgumentAnalyzer(),
            new PIPE0003PassFutureCodeFixProvider(),
            TestSources.With("""
                public static class Program
                {
                    public static void Run(IExecutor executor, Future<int> a, Future<int> b, Future<short> small)
                    {
                        _ = executor.SubmitAdd(small.GetResult(), a.GetResult());
                        _ = executor.SubmitAdd(b.GetResult(), 1).ThenAdd(a.GetAwaiter().GetResult());
                    }
                }
                """));

        Assert.Equal(
            TestSources.With("""
                public static class Program
                {
                    public static void Run(IExecutor executor, Future<int> a, Future<int> b, Future<short> small)
                    {
                        _ = executor.SubmitAdd(small.GetResult(), a);
                        _ = executor.SubmitAdd(b, 1).ThenAdd(a);
                    }
                }
                """),
            fixedTexts[0]);
    }

    [Fact]
    public async Task PIPE0100DiscardsEveryDroppedFutureExplicitlyAsDotnetFormatDoes()
    {
        string[] fixedTexts = await FixAllRunner.RunAsync(
            new PIPE0100DiscardedFutureAnalyzer(),
            new PIPE0100DiscardedFutureCodeFixProvider(),
            TestSources.With(PIPE0100Source));

        Assert.Equal(
            TestSources.With("""
                public static class Program
                {
                    public static void Sync(IExecutor executor) => _ = executor.SubmitAdd(0, 0);

                    public static async Task Run(IExecutor executor)
                    {
                        await Task.Yield();

                        // Start the sum.
                        _ = executor.SubmitAdd(1, 2);

                        _ = executor.Submit(() => 1); // trailing
                        _ = executor.Submit(() => 2).CancelAfter(TimeSpan.FromSeconds(5));
                    }
                }
                """),
            fixedTexts[0]);
    }

    [Fact]
    public async Task PIPE0100AwaitsEveryDroppedFutureItCanWhenAwaitIsChosen()
    {
        string[] fixedTexts = await FixAllRunner.RunChosenAsync(
            new PIPE0100DiscardedFutureAnalyzer(),
            new PIPE0100DiscardedFutureCodeFixProvider(),
            PIPE0100DiscardedFutureCodeFixProvider.AwaitKey,
            TestSources.With(PIPE0100Source));

        Assert.Equal(
            TestSources.With("""
                public static class Program
                {
                    public static void Sync(IExecutor executor) => executor.SubmitAdd(0, 0);

                    public static async Task Run(IExecutor executor)
                    {
                        await Task.Yield();

                        // Start the sum.
                        await executor.SubmitAdd(1, 2);

                        await executor.Submit(() => 1); // trailing
                        executor.Submit(() => 2).CancelAfter(TimeSpan.FromSeconds(5));
                    }
                }
                """),
            fixedTexts[0]);
    }

    private const string PIPE0100Source = """
        public static class Program
        {
            public static void Sync(IExecutor executor) => executor.SubmitAdd(0, 0);

            public static async Task Run(IExecutor executor)
            {
                await Task.Yield();

                // Start the sum.
                executor.SubmitAdd(1, 2);

                executor.Submit(() => 1); // trailing
                executor.Submit(() => 2).CancelAfter(TimeSpan.FromSeconds(5));
            }
        }
        """;
}
