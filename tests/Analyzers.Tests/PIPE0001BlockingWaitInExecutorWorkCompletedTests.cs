using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0001BlockingWaitInExecutorWorkAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>PIPE0001 stays quiet on futures and tasks known to be complete (facts PIPE0003 and PIPE0004 share).</summary>
public class PIPE0001BlockingWaitInExecutorWorkCompletedTests
{
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
                // Enumerating AsCompleted blocks (PIPE0001 at the sequence); the futures it yields are complete.
                int sum = 0;
                foreach (Future<int> done in {|PIPE0001:Futures.AsCompleted(all)|})
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
    public Task QuietOnElementsOfCompletedCollections() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable]
            public static async Task<int> AwaitForeach(List<Future<int>> all, CancellationToken ct)
            {
                int sum = 0;
                await foreach (Future<int> done in Futures.AsCompletedAsync(all))
                {
                    sum += done.GetResult();
                }

                await foreach (var done in Futures.AsCompletedAsync(all).WithCancellation(ct))
                {
                    sum += done.GetResult();
                }

                return sum;
            }

            [Submittable]
            public static async Task<int> AfterWaitAsync(List<Future<int>> list, Future<int>[] array)
            {
                await Futures.WaitAsync(list);
                await Futures.WaitAsync(array);
                int sum = list.Sum(f => f.GetResult()) + list[0].GetResult() + list.First().GetResult() + array[1].GetResult();
                foreach (Future<int> f in list)
                {
                    sum += f.GetResult();
                }

                List<int> values = list.Select(f => f.GetResult()).ToList();
                list.ForEach(f => f.Wait());
                return sum + list.Where(f => f.IsDone).Select(f => f.GetResult()).Sum() + values.Count;
            }

            [Submittable]
            public static async Task<int> DoneHalf(List<Future<int>> list)
            {
                var (done, _) = await Futures.WaitAsync(list, ReturnWhen.FirstCompleted);
                var result = await Futures.WaitAsync(list, ReturnWhen.FirstException);
                int sum = done.Sum(f => f.GetResult()) + result.Done.Sum(f => f.GetResult());
                foreach (Future<int> f in done)
                {
                    sum += f.GetResult();
                }

                return sum;
            }

            [Submittable]
            public static int Factories(Exception error)
            {
                Future<int> ready = Future.FromResult(1);
                Future<int> failed = Future.FromException<int>(error);
                Future cancelled = Future.FromCancelled();
                failed.Wait();
                cancelled.Wait();
                return ready.GetResult() + Future.FromResult(2).GetResult() + (failed.GetException() is null ? 0 : 1)
                    + Task.FromResult(3).Result + (Future.CompletedFuture.Wait() ? 1 : 0);
            }
        }
        """));

    [Fact]
    public Task ReportedWhenTheCollectionOrFactoryFactDoesNotHold() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Jobs
        {
            [Submittable]
            public static async Task<int> NotAll(IExecutor executor, List<Future<int>> list, List<Future<int>> other)
            {
                await Futures.WaitAsync(other);
                await Futures.WaitAsync(list, ReturnWhen.FirstCompleted);
                await Futures.WaitAsync(list, timeout: TimeSpan.FromSeconds(1));
                int sum = list.Sum(f => {|PIPE0001:f.GetResult()|}) + {|PIPE0001:list[0].GetResult()|};
                foreach (Future<int> f in list)
                {
                    sum += {|PIPE0001:f.GetResult()|};
                }

                var (_, notDone) = await Futures.WaitAsync(list, ReturnWhen.FirstCompleted);
                sum += notDone.Sum(f => {|PIPE0001:f.GetResult()|});

                Future<int> maybe = Future.FromResult(1);
                maybe = executor.Submit(() => 2);
                return sum + {|PIPE0001:maybe.GetResult()|};
            }

            [Submittable]
            public static int AwaitedInAnotherFunction(IExecutor executor, List<Future<int>> list)
            {
                // The await runs in the submitted lambda, on its own time; this function has not waited for anything.
                _ = executor.Submit(async ct => { await Futures.WaitAsync(list); return 0; });
                return list.Sum(f => {|PIPE0001:f.GetResult()|});
            }
        }
        """));
}
