using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0002ShutdownInsideExecutorWorkAnalyzer>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0002ShutdownInsideExecutorWorkTests
{
    [Fact]
    public Task ShutdownDisposeAndUsingInsideExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            private ThreadPoolExecutor _pool = new();

            public void Run(IExecutor executor, ThreadPoolExecutor pool, bool wait)
            {
                executor.Submit(() => {|PIPE0002:executor.Shutdown()|});
                executor.Submit(() => {|PIPE0002:executor.Shutdown(wait: true)|});
                executor.Submit(() => {|PIPE0002:pool.Shutdown(wait)|});
                executor.Submit(() => {|PIPE0002:pool.Shutdown(cancelFutures: true)|});
                executor.Submit(() => {|PIPE0002:pool.Dispose()|});
                executor.Submit(() =>
                {
                    using ({|PIPE0002:pool|})
                    {
                    }
                });
                executor.Submit(DisposePool);
            }

            private void DisposePool() => {|PIPE0002:_pool.Dispose()|};

            [Submittable]
            public static int Job(IExecutor executor)
            {
                {|PIPE0002:using IExecutor shared = executor;|}
                return 0;
            }
        }
        """));

    [Fact]
    public Task AnExecutorCreatedByTheWorkItselfIsNotTheOneRunningIt() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            public void Run(IExecutor executor)
            {
                executor.Submit(() =>
                {
                    using var inner = new ThreadPoolExecutor(1);
                    using (var second = new ThreadPoolExecutor())
                    {
                    }

                    using (new ThreadPoolExecutor())
                    {
                    }

                    var third = new ThreadPoolExecutor(2);
                    third.Shutdown();
                    return 0;
                });
            }

            [Submittable]
            public static int Job(int workers)
            {
                using var inner = new ThreadPoolExecutor(maxWorkers: workers);
                return 0;
            }
        }
        """));

    [Fact]
    public Task AnExecutorCreatedOutsideTheWorkStillCounts() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            public void Run()
            {
                var inner = new ThreadPoolExecutor(1);

                // This lambda runs on 'inner' itself.
                inner.Submit(() => {|PIPE0002:inner.Dispose()|});

                var replaced = new ThreadPoolExecutor(1);
                replaced = new ThreadPoolExecutor(2);
                inner.Submit(() =>
                {
                    var local = replaced;
                    {|PIPE0002:local.Shutdown()|};
                });
            }
        }
        """));

    [Fact]
    public Task HelpersAndMethodGroupsOfOtherTypesAreFollowed() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Teardown
        {
            public static void Run() => {|PIPE0002:Shared.Pool.Dispose()|};

            public static void Stop(IExecutor executor) => {|PIPE0002:executor.Shutdown()|};

            public static void NotReached(IExecutor executor) => executor.Shutdown();
        }

        public static class Shared
        {
            public static ThreadPoolExecutor Pool = new();
        }

        public class Program
        {
            public void Run(IExecutor executor)
            {
                executor.Submit(Teardown.Run);
                executor.Submit(() => Teardown.Stop(executor));
                Teardown.NotReached(executor);
            }
        }
        """));

    [Fact]
    public Task QuietWithoutWaitingOrOutsideExecutorWork() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            public static async Task Main()
            {
                using var executor = new ThreadPoolExecutor();
                using (var second = new ThreadPoolExecutor())
                {
                    second.Shutdown();
                }

                executor.Submit(() => executor.Shutdown(wait: false));
                executor.Submit(() => executor.Shutdown(false, cancelFutures: true));
                executor.Submit(async ct => { await executor.ShutdownAsync(); return 0; });
                executor.Submit(async ct => { await using var inner = new ThreadPoolExecutor(); return 0; });
                executor.Submit(async ct => { await executor.DisposeAsync(); return 0; });
                executor.Submit(() => new System.IO.MemoryStream().Dispose());
                executor.Submit(() => { _ = Task.Run(() => executor.Dispose()); });
                Action later = () => executor.Dispose();
                executor.Dispose();
                await executor.DisposeAsync();
            }

            [Submittable]
            public static int Job(IExecutor executor)
            {
                executor.Shutdown(wait: false);
                return 0;
            }
        }
        """));
}
