using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>PIPE0001: the blocking members, the places that run on an executor, and the code that does not.</summary>
public class PIPE0001BlockingWaitInExecutorWorkTests
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
    public Task EnumeratingAsCompletedOrMapResultsInExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable]
            public static int Total(IExecutor executor, List<Future<int>> all, int[] items)
            {
                int sum = 0;
                foreach (Future<int> done in {|PIPE0001:Futures.AsCompleted(all)|})
                {
                    sum += done.GetResult();
                }

                sum += {|PIPE0001:executor.Map(x => x * 2, items).Sum()|};
                List<int> list = {|PIPE0001:executor.Map(x => x, items).ToList()|};
                IEnumerable<int> lazy = executor.Map(x => x + 1, items);
                foreach (int x in {|PIPE0001:lazy|})
                {
                    sum += x;
                }

                sum += {|PIPE0001:executor.Map(x => x, items).Where(x => x > 0).Select(x => x * 2).First()|};
                sum += {|PIPE0001:Futures.AsCompleted(all).Select(f => f.GetResult()).Sum()|};
                return sum + list.Count;
            }

            public static void Run(IExecutor executor, List<Future<int>> all, int[] items)
            {
                _ = executor.Submit(() => {|PIPE0001:executor.Map(x => x, items).Count()|});
                _ = executor.Submit(() => {|PIPE0001:Futures.AsCompleted(all, TimeSpan.FromSeconds(1)).First()|}.GetResult());
            }
        }
        """));

    [Fact]
    public Task QuietWhenMapOrAsCompletedIsNotEnumeratedOnTheExecutor() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            // Building the lazy sequence does not wait; handing it back does not either.
            [Submittable] public static IEnumerable<int> Lazy(IExecutor executor, int[] items) => executor.Map(x => x * 2, items).Where(x => x > 0);

            [Submittable]
            public static async Task<int> Async(IExecutor executor, List<Future<int>> all, int[] items, CancellationToken ct)
            {
                int sum = 0;
                await foreach (Future<int> done in Futures.AsCompletedAsync(all))
                {
                    sum += done.GetResult();
                }

                await foreach (int x in executor.MapAsync(x => x, items).WithCancellation(ct))
                {
                    sum += x;
                }

                foreach (int x in items.Select(x => x + 1).ToList())
                {
                    sum += x;
                }

                return sum;
            }

            public static int Main2(IExecutor executor, List<Future<int>> all, int[] items)
                => executor.Map(x => x, items).Sum() + Futures.AsCompleted(all).Count();
        }
        """));

    [Fact]
    public Task CodeHandedToTheDotNetPoolIsNotExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static void Run(IExecutor executor, Future<int> f)
            {
                // Runs on the .NET thread pool or a thread of its own: VSTHRD002/CA1849's business, not PIPE0001's.
                executor.Submit(() => { _ = Task.Run(() => f.GetResult()); });
                executor.Submit(() => { _ = Task.Factory.StartNew(() => f.Wait()); });
                executor.Submit(() => { ThreadPool.QueueUserWorkItem(_ => f.Wait()); });
                executor.Submit(() => new Thread(() => f.Wait()).Start());
                executor.Submit(() =>
                {
                    Action background = () => f.Wait();
                    _ = Task.Run(background);
                });

                // Waiting for that work from the executor still blocks the worker.
                executor.Submit(() => {|PIPE0001:Task.Run(() => f.GetResult()).Result|});
                executor.Submit(() => { {|PIPE0001:Task.Run(() => f.Wait()).Wait()|}; });
            }
        }
        """));
}
