using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0100DiscardedFutureAnalyzer>;
using VerifyFix = Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<Pipelines.Generator.Analyzers.PIPE0100DiscardedFutureAnalyzer, Pipelines.CodeFixes.PIPE0100DiscardedFutureCodeFixProvider>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0100Tests
{
    [Fact]
    public Task DiscardedSubmissions() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static Future<int> Start(IExecutor executor) => executor.Submit(() => 1);

            public static void Main()
            {
                using var executor = new ThreadPoolExecutor();
                {|PIPE0100:executor.Submit(() => 1)|};
                {|PIPE0100:executor.Submit(() => Console.WriteLine())|};
                {|PIPE0100:executor.SubmitAdd(1, 2)|};
                Future<int> f = executor.SubmitAdd(1, 2);
                {|PIPE0100:f.ThenAdd(3)|};
                {|PIPE0100:Start(executor)|};
                IExecutor? maybe = executor;
                {|PIPE0100:maybe?.Submit(() => 1)|};
                f.GetResult();
            }
        }
        """));

    [Fact]
    public Task QuietWhenTheFutureIsKept() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static Future<int> Start(IExecutor executor) => executor.Submit(() => 1);

            public static void Keep(Future f) { }

            public static async Task<int> Main()
            {
                using var executor = new ThreadPoolExecutor();
                _ = executor.Submit(() => 1);
                var f = executor.SubmitAdd(1, 2);
                f = f.ThenAdd(1);
                Keep(executor.Submit(() => 2));
                await executor.SubmitAdd(3, 4);
                Future.FromResult(1);
                executor.Shutdown();
                f.Cancel();
                return await Start(executor);
            }
        }
        """));

    [Fact]
    public Task FixAwaitsInAsyncCode() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor)
                {
                    {|PIPE0100:executor.SubmitAdd(1, 2)|};
                    executor.Submit(async ct =>
                    {
                        {|PIPE0100:executor.Submit(() => 1)|};
                        return 0;
                    }).GetResult();
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor)
                {
                    await executor.SubmitAdd(1, 2);
                    executor.Submit(async ct =>
                    {
                        await executor.Submit(() => 1);
                        return 0;
                    }).GetResult();
                }
            }
            """));

    [Fact]
    public Task NoFixOutsideAsyncCode() => VerifyFix.VerifyNoCodeFixAsync(TestSources.With("""
        public static class Program
        {
            public static async Task Run(IExecutor? executor)
            {
                executor?.Submit(async ct => 1).Wait();
                {|PIPE0100:executor?.Submit(() => 1)|};
                await Task.Yield();
            }

            public static void Sync(IExecutor executor) => {|PIPE0100:executor.SubmitAdd(1, 2)|};
        }
        """));

    [Fact]
    public Task FixKeepsBlankLinesAndCommentsAndFixesAll() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor)
                {
                    await Task.Yield();

                    // Start the sum.
                    {|PIPE0100:executor.SubmitAdd(1, 2)|};

                    {|PIPE0100:executor.Submit(() => 1)|}; // trailing
                    {|PIPE0100:executor.SubmitAdd(3, 4)|};
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor)
                {
                    await Task.Yield();

                    // Start the sum.
                    await executor.SubmitAdd(1, 2);

                    await executor.Submit(() => 1); // trailing
                    await executor.SubmitAdd(3, 4);
                }
            }
            """));
}
