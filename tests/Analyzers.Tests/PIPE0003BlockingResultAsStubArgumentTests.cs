using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0003BlockingResultAsStubArgumentAnalyzer>;
using VerifyFix = Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<Pipelines.Generator.Analyzers.PIPE0003BlockingResultAsStubArgumentAnalyzer, Pipelines.CodeFixes.PIPE0003PassFutureCodeFixProvider>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0003BlockingResultAsStubArgumentTests
{
    [Fact]
    public Task FixPassesTheFuture() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static void Main()
                {
                    using var executor = new ThreadPoolExecutor();
                    Future<int> a = executor.SubmitAdd(1, 2);
                    Future<int> b = executor.SubmitAdd(3, 4);
                    Future<int> c = executor.SubmitAdd({|PIPE0003:a.GetResult()|}, {|PIPE0003:b.GetAwaiter().GetResult()|});
                    Future<int> d = c.ThenAdd({|PIPE0003:a.GetResult()|});
                    Console.WriteLine(d.GetResult());
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static void Main()
                {
                    using var executor = new ThreadPoolExecutor();
                    Future<int> a = executor.SubmitAdd(1, 2);
                    Future<int> b = executor.SubmitAdd(3, 4);
                    Future<int> c = executor.SubmitAdd(a, b);
                    Future<int> d = c.ThenAdd(a);
                    Console.WriteLine(d.GetResult());
                }
            }
            """));

    [Fact]
    public Task NoFixWhenTheFutureHasAnotherTypeOrATimeout() => VerifyFix.VerifyNoCodeFixAsync(TestSources.With("""
        public static class Program
        {
            public static void Run(IExecutor executor, Future<short> small, Future<int> a)
            {
                _ = executor.SubmitAdd({|PIPE0003:small.GetResult()|}, {|PIPE0003:a.GetResult(TimeSpan.FromSeconds(1))|});
            }
        }
        """));

    [Fact]
    public Task QuietForFuturesValuesAndOtherMethods() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static int Plain(int x) => x;

            public static void Run(IExecutor executor, Future<int> a, Task<int> t)
            {
                _ = executor.SubmitAdd(a, 2);
                _ = executor.SubmitAdd(1, t.Result);
                _ = executor.SubmitTwice(a.GetResult());
                _ = Plain(a.GetResult());
                _ = a.ThenAdd(a);
            }
        }
        """));

    [Fact]
    public Task QuietOnFuturesKnownToBeComplete() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static async Task Run(IExecutor executor, List<Future<int>> all, Future<int> pending)
            {
                foreach (Future<int> done in Futures.AsCompleted(all))
                {
                    _ = executor.SubmitAdd(done.GetResult(), 1);
                }

                await foreach (Future<int> done in Futures.AsCompletedAsync(all))
                {
                    _ = executor.SubmitAdd(done.GetResult(), 1);
                }

                _ = executor.SubmitAdd(Future.FromResult(2).GetResult(), 1);
                await Futures.WaitAsync(all);
                _ = executor.SubmitAdd(all[0].GetResult(), all.Last().GetResult());
                if (pending.IsDone)
                {
                    _ = executor.SubmitAdd(pending.GetResult(), 1);
                }

                pending.OnDone(f => executor.SubmitAdd(f.GetResult(), 1));

                // Not known complete: reported.
                _ = executor.SubmitAdd({|PIPE0003:pending.GetResult()|}, 1);
            }
        }
        """));
}
