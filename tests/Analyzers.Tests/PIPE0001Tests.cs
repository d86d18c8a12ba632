using System.Threading.Tasks;
using Pipelines.CodeFixes;
using Pipelines.Generator.Analyzers;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer>;
using VerifyFix = Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer, Pipelines.CodeFixes.AwaitBlockingWaitCodeFixProvider>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0001Tests
{
    [Fact]
    public Task GetResultInSubmittableBody() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable] public static int Sum(Future<int> f) => {|PIPE0001:f.GetResult()|} + 1;
        }
        """));

    [Fact]
    public Task EveryBlockingMemberInSubmittedLambdas() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static void Run(IExecutor executor, Future<int> f, Task<int> t, List<Future<int>> all)
            {
                executor.Submit(() => {|PIPE0001:f.GetResult()|});
                executor.Submit(() => {|PIPE0001:f.Wait()|});
                executor.Submit(() => {|PIPE0001:f.GetException()|});
                executor.Submit(() => {|PIPE0001:Futures.Wait(all)|}.Done.Count);
                executor.Submit(() => {|PIPE0001:t.Result|});
                executor.Submit(() => {|PIPE0001:t.GetAwaiter().GetResult()|});
                executor.Submit(() => {|PIPE0001:f.GetAwaiter().GetResult()|});
                executor.Submit(() => {|PIPE0001:t.ConfigureAwait(false).GetAwaiter().GetResult()|});
                executor.Submit(() => { {|PIPE0001:t.Wait()|}; });
                executor.Submit(() => { {|PIPE0001:Task.WaitAll(t, t)|}; });
                executor.Submit(() => {|PIPE0001:Task.WaitAny(t, t)|});
                executor.Submit(delegate () { return {|PIPE0001:f.GetResult()|}; });
            }
        }
        """));

    [Fact]
    public Task MapStubAndNestedLambdas() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static void Run(ThreadPoolExecutor executor, Future<int> f, int[] items)
            {
                _ = executor.Map(x => x + {|PIPE0001:f.GetResult()|}, items).ToList();
                executor.SubmitApply(new Func<int>(() => {|PIPE0001:f.GetResult()|}));
                executor.Submit(() => items.Select(x => x + {|PIPE0001:f.GetResult()|}).Sum());
                executor.Submit(ct => Task.FromResult({|PIPE0001:f.GetResult()|}));
            }
        }
        """));

    [Fact]
    public Task MethodGroupsAndLocalFunctions() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            private Future<int> _f = Future.FromResult(1);

            private int Work() => {|PIPE0001:_f.GetResult()|};

            private int Square(int x) => x * {|PIPE0001:_f.GetResult()|};

            private int NotSubmitted() => _f.GetResult();

            public void Run(IExecutor executor, int[] items)
            {
                executor.Submit(Work);
                _ = executor.Map(Square, items);

                int Local() => {|PIPE0001:_f.GetResult()|};
                executor.Submit(Local);

                int LocalNotSubmitted() => _f.GetResult();
                _ = LocalNotSubmitted() + NotSubmitted();
            }

            [Submittable]
            public static int Outer(Future<int> f)
            {
                int Helper() => {|PIPE0001:f.GetResult()|};
                return Helper();
            }
        }
        """));

    [Fact]
    public Task NestedTypesReportOnce() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Outer
        {
            public class Inner
            {
                private readonly Future<int> _f = Future.FromResult(1);

                private int Work() => {|PIPE0001:_f.GetResult()|};

                public Future<int> Run(IExecutor executor) => executor.Submit(Work);

                [Submittable] public static int Job(Future<int> f) => {|PIPE0001:f.GetResult()|};
            }

            [Submittable] public static int Job(Future<int> f) => {|PIPE0001:f.GetResult()|};
        }
        """));

    [Fact]
    public Task TopLevelStatements()
    {
        var test = new Verify.Test
        {
            TestCode = TestSources.With("""
                using var executor = new ThreadPoolExecutor(maxWorkers: 1);
                Future<int> a = executor.Submit(() => 1);
                Future<int> b = executor.Submit(() => {|PIPE0001:a.GetResult()|} + 1);
                Console.WriteLine(b.GetResult());
                """),
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task QuietOutsideExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static void Main()
            {
                using var executor = new ThreadPoolExecutor(maxWorkers: 2);
                Future<int> f = executor.Submit(() => 1);
                Console.WriteLine(f.GetResult());
                f.Wait();
                _ = Futures.Wait(new[] { f });
                Task<int> t = Task.FromResult(1);
                Console.WriteLine(t.Result + t.GetAwaiter().GetResult());
                Func<int> later = () => f.GetResult();
                _ = new[] { 1 }.Select(x => f.GetResult()).ToList();
            }
        }
        """));

    [Fact]
    public Task QuietOnFuturesKnownToBeComplete() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable] public static async Task<int> Awaited(Future<int> f) => await f;

            [Submittable]
            public static async Task<int> AfterAwait(Future<int> f)
            {
                await f;
                return f.GetResult();
            }

            [Submittable]
            public static async Task<int> AfterConfiguredAwait(Task<int> t)
            {
                await t.ConfigureAwait(false);
                return t.Result;
            }

            [Submittable]
            public static int AfterWait(Future<int> f)
            {
                {|PIPE0001:f.Wait()|};
                return f.GetResult();
            }

            [Submittable]
            public static async Task<int> AfterWhenAll(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(a, b);
                return a.Result + b.Result;
            }

            [Submittable]
            public static async Task<int> AfterWaitAsync(Future<int> a, Future<int> b, Future<int> c)
            {
                await Futures.WaitAsync(new[] { a, b });
                await Futures.WaitAsync(new[] { c }, ReturnWhen.FirstCompleted);
                return a.GetResult() + b.GetResult() + {|PIPE0001:c.GetResult()|};
            }

            [Submittable] public static int Guarded(Future<int> f) => f.IsDone ? f.GetResult() : 0;

            [Submittable] public static bool GuardedAnd(Future<int> f) => f.IsDone && f.GetResult() > 0;

            [Submittable]
            public static int GuardedIf(Future<int> f)
            {
                if (f.IsDone)
                {
                    return f.GetResult();
                }

                return 0;
            }

            [Submittable]
            public static int EarlyReturn(Future<int> f)
            {
                if (!f.IsDone)
                {
                    return 0;
                }

                return f.GetResult();
            }

            [Submittable]
            public static int AsCompleted(List<Future<int>> all)
            {
                int sum = 0;
                foreach (Future<int> done in Futures.AsCompleted(all))
                {
                    sum += done.GetResult();
                }

                return sum;
            }

            [Submittable]
            public static int Callback(Future<int> f)
            {
                // The callback's own future is complete; other waits in callbacks are PIPE0004's.
                f.OnDone(done => Console.WriteLine(done.GetResult()));
                return 0;
            }

            [Submittable]
            public static int Other(Future<int> f, Future<int> g)
            {
                if (g.IsDone)
                {
                    return {|PIPE0001:f.GetResult()|};
                }

                return 0;
            }
        }
        """));

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
    public Task FixPassesTheFutureWhenTheWaitFeedsAStub() => Pipelines.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<PIPE0001BlockingWaitInExecutorWorkAnalyzer, PassFutureToStubCodeFixProvider>.VerifyCodeFixAsync(
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
