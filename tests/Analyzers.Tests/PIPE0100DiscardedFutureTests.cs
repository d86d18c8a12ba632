using System.Threading.Tasks;
using Pipelines.CodeFixes;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0100DiscardedFutureAnalyzer>;
using VerifyFix = Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<Pipelines.Generator.Analyzers.PIPE0100DiscardedFutureAnalyzer, Pipelines.CodeFixes.PIPE0100DiscardedFutureCodeFixProvider>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0100DiscardedFutureTests
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
    public Task QuietOnCancelAfterOfAFutureTheCodeKeeps() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static async Task<int> Main()
            {
                using var executor = new ThreadPoolExecutor();
                Future<int> slow = executor.Submit(() => { Thread.Sleep(1000); return 1; });
                slow.CancelAfter(TimeSpan.FromMilliseconds(200));
                slow.CancelAfter(TimeSpan.FromSeconds(1)).CancelAfter(TimeSpan.FromSeconds(2));
                Future untyped = slow;
                untyped.CancelAfter(TimeSpan.FromSeconds(1));
                Future<int>? maybe = slow;
                maybe?.CancelAfter(TimeSpan.FromSeconds(1));
                Future.FromResult(1).CancelAfter(TimeSpan.FromSeconds(1));
                Holder.Kept.CancelAfter(TimeSpan.FromSeconds(1));
                try { return await slow; } catch (OperationCanceledException) { return -1; }
            }
        }

        public static class Holder
        {
            public static Future<int> Kept { get; } = Future.FromResult(2);
        }
        """));

    [Fact]
    public Task ReportsTheSubmissionDroppedBehindCancelAfter() => Verify.VerifyAnalyzerAsync(
        TestSources.With("""
            public static class Program
            {
                public static Future<int> Start(IExecutor executor) => executor.Submit(() => 1);

                public static void Main(IExecutor executor, IExecutor? maybe)
                {
                    {|#0:executor.SubmitAdd(1, 2).CancelAfter(TimeSpan.FromSeconds(1))|};
                    {|#1:Start(executor).CancelAfter(TimeSpan.FromSeconds(1)).CancelAfter(TimeSpan.FromSeconds(2))|};
                    {|#2:maybe?.Submit(() => 1).CancelAfter(TimeSpan.FromSeconds(1))|};
                }
            }
            """),
        Verify.Diagnostic().WithLocation(0).WithArguments("SubmitAdd"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Start"),
        Verify.Diagnostic().WithLocation(2).WithArguments("Submit"));

    [Fact]
    public Task TheFirstFixDiscardsExplicitlyEverywhere() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor, IExecutor? maybe)
                {
                    await Task.Yield();

                    // Start the sum.
                    {|PIPE0100:executor.SubmitAdd(1, 2)|};
                    {|PIPE0100:executor.Submit(() => 1).CancelAfter(TimeSpan.FromSeconds(1))|}; // trailing
                    {|PIPE0100:maybe?.Submit(() => 1)|};
                }

                public static void Sync(IExecutor executor) => {|PIPE0100:executor.SubmitAdd(1, 2)|};
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor executor, IExecutor? maybe)
                {
                    await Task.Yield();

                    // Start the sum.
                    _ = executor.SubmitAdd(1, 2);
                    _ = executor.Submit(() => 1).CancelAfter(TimeSpan.FromSeconds(1)); // trailing
                    _ = maybe?.Submit(() => 1);
                }

                public static void Sync(IExecutor executor) => _ = executor.SubmitAdd(1, 2);
            }
            """));

    [Fact]
    public Task TheAwaitFixAwaitsInAsyncCode() => VerifyFix.VerifyCodeFixAsync(
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
            """),
        PIPE0100DiscardedFutureCodeFixProvider.AwaitKey);

    [Fact]
    public Task NoAwaitFixOutsideAsyncCodeOrWhereItWouldChangeWhatFails() => VerifyFix.VerifyNoCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static async Task Run(IExecutor? executor, IExecutor pool, object gate)
                {
                    executor?.Submit(async ct => 1).Wait();
                    {|PIPE0100:executor?.Submit(() => 1)|};
                    {|PIPE0100:pool.Submit(() => 1).CancelAfter(TimeSpan.FromSeconds(1))|};
                    lock (gate)
                    {
                        {|PIPE0100:pool.Submit(() => 1)|};
                    }

                    await Task.Yield();
                }

                public static void Sync(IExecutor executor) => {|PIPE0100:executor.SubmitAdd(1, 2)|};
            }
            """),
        PIPE0100DiscardedFutureCodeFixProvider.AwaitKey);

    [Fact]
    public Task NoDiscardFixWhereUnderscoreIsAVariable() => VerifyFix.VerifyCodeFixAsync(
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, List<object> items)
                {
                    items.ForEach(_ => {|PIPE0100:executor.SubmitAdd(1, 2)|});
                    items.ForEach(async _ => {|PIPE0100:executor.SubmitAdd(3, 4)|});
                }
            }
            """),
        TestSources.With("""
            public static class Program
            {
                public static void Run(IExecutor executor, List<object> items)
                {
                    items.ForEach(_ => {|PIPE0100:executor.SubmitAdd(1, 2)|});
                    items.ForEach(async _ => await executor.SubmitAdd(3, 4));
                }
            }
            """));

    [Fact]
    public Task FixAllKeepsBlankLinesAndComments() => VerifyFix.VerifyCodeFixAsync(
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
            """),
        PIPE0100DiscardedFutureCodeFixProvider.AwaitKey);
}
