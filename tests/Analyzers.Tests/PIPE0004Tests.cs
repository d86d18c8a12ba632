using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0004BlockingWaitUnderLockOrInCallbackAnalyzer>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0004Tests
{
    [Fact]
    public Task BlockingOnAFutureUnderLock() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Cache
        {
            private readonly object _gate = new();
            private int _value;

            public void Refresh(Future<int> f, Future<int> g, List<Future<int>> all)
            {
                lock (_gate)
                {
                    _value = {|PIPE0004:f.GetResult()|};
                    {|PIPE0004:f.Wait()|};
                    _ = {|PIPE0004:Futures.Wait(all)|};
                    _value += {|PIPE0004:g.GetAwaiter().GetResult()|};
                }
            }
        }
        """));

    [Fact]
    public Task BlockingInsideOnDoneCallback() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static void Run(Future<int> f, Future<int> g, Future plain, Task<int> t)
            {
                f.OnDone(_ => Console.WriteLine({|PIPE0004:g.GetResult()|}));
                f.OnDone(done => Console.WriteLine({|PIPE0004:t.Result|}));
                plain.OnDone(done => { {|PIPE0004:g.Wait()|}; });
                f.OnDone(done => new[] { 1 }.Select(x => x + {|PIPE0004:g.GetResult()|}).ToList());
            }
        }
        """));

    [Fact]
    public Task QuietOnTheCallbacksOwnFutureAndOutsideLocks() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            private readonly object _gate = new();

            public void Run(IExecutor executor, Future<int> f, Future plain, Task<int> t)
            {
                f.OnDone(done => Console.WriteLine(done.GetResult()));
                f.OnDone(done => Console.WriteLine(done.GetException()));
                f.OnDone(_ => Console.WriteLine(f.GetResult()));
                plain.OnDone(done => done.Wait());
                f.OnDone(done => executor.Submit(() => 1));

                lock (_gate)
                {
                    Func<int> later = () => f.GetResult();
                    if (f.IsDone)
                    {
                        Console.WriteLine(f.GetResult());
                    }

                    // Tasks under a lock are other analyzers' business (VSTHRD002, CA2002…).
                    Console.WriteLine(t.Result);
                }

                Console.WriteLine(f.GetResult());
            }
        }
        """));
}
