using System.Threading.Tasks;
using Xunit;
using VerifyFix = Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer, Pipelines.CodeFixes.PIPE0001BlockingWaitCodeFixProvider>;

namespace Pipelines.Analyzers.Tests;

/// <summary>PIPE0001's code fix: await, the async twin, or pass the future to the stub; none where the rewrite is not exact.</summary>
public class PIPE0001BlockingWaitCodeFixTests
{
    [Fact]
    public Task FixAwaitsInAsyncSubmittable() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Jobs
            {
                [Submittable]
                public static async Task<string> Run(Future<int> f, Future<int> g, Task<int> t, Task<int> u, Task<int> v, Task w)
                {
                    await Task.Yield();
                    int a = {|PIPE0001:f.GetResult()|} + 1;
                    string b = {|PIPE0001:g.GetResult()|}.ToString();
                    int c = {|PIPE0001:t.Result|};
                    int d = {|PIPE0001:u.GetAwaiter().GetResult()|};
                    int e = {|PIPE0001:v.ConfigureAwait(false).GetAwaiter().GetResult()|};
                    {|PIPE0001:w.Wait()|};
                    return a + b + c + d + e;
                }
            }
            """),
        TestSources.With("""
            public static class Jobs
            {
                [Submittable]
                public static async Task<string> Run(Future<int> f, Future<int> g, Task<int> t, Task<int> u, Task<int> v, Task w)
                {
                    await Task.Yield();
                    int a = await f + 1;
                    string b = (await g).ToString();
                    int c = await t;
                    int d = await u;
                    int e = await v.ConfigureAwait(false);
                    await w;
                    return a + b + c + d + e;
                }
            }
            """));

    [Fact]
    public Task FixAwaitsAsyncTwins() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, List<Future<int>> all, Task t1, Task t2)
                {
                    executor.Submit(async ct =>
                    {
                        var (done, _) = {|PIPE0001:Futures.Wait(all, ReturnWhen.FirstCompleted)|};
                        {|PIPE0001:Task.WaitAll(t1, t2)|};
                        return done.Count;
                    });
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, List<Future<int>> all, Task t1, Task t2)
                {
                    executor.Submit(async ct =>
                    {
                        var (done, _) = await Futures.WaitAsync(all, ReturnWhen.FirstCompleted);
                        await Task.WhenAll(t1, t2);
                        return done.Count;
                    });
                }
            }
            """));

    [Fact]
    public Task FixPassesTheFutureWhenTheWaitFeedsAStub() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, Future<int> a)
                {
                    executor.Submit(() => executor.SubmitAdd({|PIPE0001:a.GetResult()|}, 1).GetHashCode());
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, Future<int> a)
                {
                    executor.Submit(() => executor.SubmitAdd(a, 1).GetHashCode());
                }
            }
            """));

    [Fact]
    public Task NoFixOutsideAsyncOrWhenSemanticsDiffer() => VerifyFix.VerifyNoCodeFixAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable] public static int Sync(Future<int> f) => {|PIPE0001:f.GetResult()|};

            [Submittable]
            public static async Task<int> Timed(Future<int> f, Task<int> t, object gate)
            {
                await Task.Yield();
                int a = {|PIPE0001:f.GetResult(TimeSpan.FromSeconds(1))|};
                bool b = {|PIPE0001:f.Wait()|};
                lock (gate)
                {
                    a += {|PIPE0001:t.Result|};
                }

                return a + {|PIPE0001:Task.WaitAny(t)|};
            }
        }
        """));
}
