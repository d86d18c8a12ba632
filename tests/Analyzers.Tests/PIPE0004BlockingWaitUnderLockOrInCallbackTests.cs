using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0004BlockingWaitUnderLockOrInCallbackAnalyzer>;

namespace Pipelines.Analyzers.Tests;

public class PIPE0004BlockingWaitUnderLockOrInCallbackTests
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

    [Fact]
    public Task LambdasThatLinqRunsWhileTheLockIsHeld() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Cache
        {
            private readonly object _gate = new();
            private int _total;
            private List<int> _values = new();
            private IEnumerable<int> _lazy = Array.Empty<int>();
            private Func<int> _later = () => 0;

            public void Refresh(List<Future<int>> futures, Future<int> f)
            {
                lock (_gate)
                {
                    _total = futures.Sum(x => {|PIPE0004:x.GetResult()|});
                    _values = futures.Select(x => {|PIPE0004:x.GetResult()|}).Where(v => v > 0).ToList();
                    foreach (int v in futures.Select(x => {|PIPE0004:x.GetResult()|}))
                    {
                        _total += v;
                    }

                    futures.ForEach(x => {|PIPE0004:x.Wait()|});
                    _total += futures.Count(x => {|PIPE0004:x.GetException()|} is null);

                    // Not run while the lock is held: a lazy query kept for later, a delegate kept for later.
                    _lazy = futures.Select(x => x.GetResult());
                    _later = () => f.GetResult();
                }
            }
        }
        """));

    [Fact]
    public Task CallbacksAndLockedCallsAreFollowed() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public class Program
        {
            private static Future<int> _other = null!;
            private readonly object _gate = new();

            private static void OnFirst(Future<int> done)
            {
                Console.WriteLine(done.GetResult());
                Console.WriteLine({|PIPE0004:_other.GetResult()|});
            }

            private static void Log(Future<int> done) => Console.WriteLine(done.GetResult() + Format());

            private static string Format() => {|PIPE0004:_other.GetResult()|}.ToString();

            private static int Load(Future<int> f) => {|PIPE0004:f.GetResult()|};

            private static int LoadTask(Task<int> t) => t.Result;

            private static int NotReached(Future<int> f) => f.GetResult();

            public void Run(Future<int> f, Task<int> t)
            {
                f.OnDone(OnFirst);
                f.OnDone(Log);
                lock (_gate)
                {
                    // Under a lock only waits on futures count; tasks are the task analyzers' business.
                    Console.WriteLine(Load(f) + LoadTask(t));
                }

                Console.WriteLine(NotReached(f));
            }
        }
        """));
}
