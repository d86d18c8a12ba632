using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE0001 follows executor work into the methods it calls and the delegates it is handed, however they get there:
/// reported at the wait, naming the path, once per wait.
/// </summary>
public class PIPE0001BlockingWaitInExecutorWorkFollowTests
{
    [Fact]
    public Task HelpersCalledFromExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable] public static int Run(Future<int> f) => Helpers.Load(f) + Helpers.Load(f);

            [Submittable] public static int Deep(Future<int> f) => Helpers.Outer(f);

            [Submittable] public static int Cycle(Future<int> f) => Helpers.Ping(f, 3);

            [Submittable] public static int Property(Helpers helpers) => helpers.Value;

            public static void Submit(IExecutor executor, Future<int> f, int[] items)
            {
                _ = executor.Submit(() => Helpers.Sum(items, f));
                _ = executor.Submit(() => items.Select(Helpers.Square).Sum());
            }
        }

        public class Helpers
        {
            private readonly Future<int> _pending = null!;

            public int Value => {|PIPE0001:_pending.GetResult()|};

            internal static int Load(Future<int> f) => {|PIPE0001:f.GetResult()|};

            internal static int Outer(Future<int> f) => Middle(f);

            internal static int Sum(int[] items, Future<int> f) => items.Sum(x => x + {|PIPE0001:f.GetResult()|});

            internal static Future<int> Pending = null!;

            internal static int Square(int x) => x * {|PIPE0001:Pending.GetResult()|};

            internal static int Ping(Future<int> f, int n) => n == 0 ? {|PIPE0001:f.GetResult()|} : Pong(f, n - 1);

            private static int Pong(Future<int> f, int n) => Ping(f, n);

            private static int Middle(Future<int> f) => Inner(f);

            private static int Inner(Future<int> f) => {|PIPE0001:f.Wait()|} ? 1 : 0;
        }
        """));

    [Fact]
    public Task TheMessageNamesThePath()
    {
        var test = new Verify.Test
        {
            TestCode = TestSources.With("""
                public static class Jobs
                {
                    [Submittable] public static int Run(Future<int> f) => Helpers.Outer(f);
                }

                internal static class Helpers
                {
                    internal static int Outer(Future<int> f) => Inner(f);

                    private static int Inner(Future<int> f) => {|#0:f.GetResult()|};
                }
                """),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("PIPE0001", DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithMessage("'Future<T>.GetResult' blocks a worker thread in 'Helpers.Inner', which runs on an executor: the [Submittable] method 'Run' calls 'Helpers.Outer', which calls 'Helpers.Inner'; when every worker of the pool waits like this the pipeline deadlocks or starves — await it, or pass the future to a stub"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task QuietWhenTheHelperIsNotReachedFromExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            // Five calls deep is past the walk: the called method and three calls below it (CallGraph.MaxDepth).
            [Submittable] public static int TooDeep(Future<int> f) => Helpers.One(f);

            // A virtual call may run any override: not followed.
            [Submittable] public static int Virtual(Base target, Future<int> f) => target.Read(f);

            // Only the .NET pool runs this helper.
            [Submittable] public static int Elsewhere(Future<int> f) { _ = Task.Run(() => Helpers.Load(f)); return 0; }

            public static int Main2(Future<int> f) => Helpers.Load(f) + Helpers.Ready();
        }

        public class Base
        {
            public virtual int Read(Future<int> f) => f.GetResult();
        }

        internal static class Helpers
        {
            internal static int Load(Future<int> f) => f.GetResult();

            // A completed future does not block, wherever it is waited on.
            internal static int Ready() => Future.FromResult(1).GetResult();

            internal static int One(Future<int> f) => Two(f) + Ready();

            private static int Two(Future<int> f) => Three(f);

            private static int Three(Future<int> f) => Four(f);

            private static int Four(Future<int> f) => Five(f);

            private static int Five(Future<int> f) => f.GetResult();
        }
        """));

    [Fact]
    public Task DelegatesThatReachSubmitIndirectly() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Shared
        {
            public static Future<int> Pending = null!;
        }

        public static class Handlers
        {
            public static int Drain() => {|PIPE0001:Shared.Pending.GetResult()|};

            public static int Scale(int x) => x * {|PIPE0001:Shared.Pending.GetResult()|};

            public static int Stored() => {|PIPE0001:Shared.Pending.GetResult()|};

            public static int Applied() => {|PIPE0001:Shared.Pending.GetResult()|};

            public static int NeverSubmitted() => Shared.Pending.GetResult();
        }

        public static class Program
        {
            public static void Run(IExecutor pool, Future<int> f, int[] items)
            {
                Func<int> work = () => {|PIPE0001:f.GetResult()|};
                _ = pool.Submit(work);

                Func<int> assigned;
                assigned = () => {|PIPE0001:f.GetResult()|};
                _ = pool.Submit(assigned);

                _ = pool.Submit(Handlers.Drain);
                _ = pool.Map(Handlers.Scale, items);
                Func<int> stored = Handlers.Stored;
                _ = pool.Submit(stored);
                _ = pool.SubmitApply(new Func<int>(Handlers.Applied));

                Func<int> kept = () => f.GetResult();
                Console.WriteLine(kept() + Handlers.NeverSubmitted());
            }
        }
        """));
}
