using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0002ShutdownInsideExecutorWorkAnalyzer>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0002Tests
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
                    using ({|PIPE0002:var inner = new ThreadPoolExecutor()|})
                    {
                    }
                });
                executor.Submit(DisposePool);
            }

            private void DisposePool() => {|PIPE0002:_pool.Dispose()|};

            [Submittable]
            public static int Job(IExecutor executor)
            {
                {|PIPE0002:using var inner = new ThreadPoolExecutor(maxWorkers: 1);|}
                return 0;
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
                executor.Submit(() => new System.IO.MemoryStream().Dispose());
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
