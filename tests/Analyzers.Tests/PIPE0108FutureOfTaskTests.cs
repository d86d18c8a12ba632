using System.Threading.Tasks;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0108FutureOfTaskAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE0108: a future of a task, or a map over an async function. The cases name the task type explicitly, as code that
/// still slips past async Submit/Map overloads does (generic helpers, explicit type arguments, task-returning methods),
/// so they bind the same way whatever async overloads the runtime adds.
/// </summary>
public class PIPE0108FutureOfTaskTests
{
    [Fact]
    public Task FuturesOfTasksAndMapsOfAsyncFunctions() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static Future<T> Start<T>(IExecutor executor, Func<T> work) => executor.Submit(work);

            public static async Task<int> FetchAsync(int x) { await Task.Delay(1); return x; }

            public static void Run(IExecutor executor, int[] items)
            {
                Future<Task<int>> a = {|PIPE0108:executor.Submit<Task<int>>(async () => { await Task.Delay(1); return 42; })|};
                Future<Task> b = {|PIPE0108:executor.Submit<Task>(() => Task.Delay(1))|};
                Future<ValueTask<int>> c = {|PIPE0108:executor.Submit<ValueTask<int>>(() => new ValueTask<int>(1))|};
                Future<ValueTask> d = {|PIPE0108:executor.Submit<ValueTask>(ct => ValueTask.CompletedTask)|};
                Future<Task<int>> e = {|PIPE0108:Start(executor, () => FetchAsync(1))|};
                Future<Task<int>> f = {|PIPE0108:Future.FromResult(FetchAsync(2))|};
                IEnumerable<Task<int>> g = {|PIPE0108:executor.Map<int, Task<int>>(x => FetchAsync(x), items)|};
                IAsyncEnumerable<Task<int>> h = {|PIPE0108:executor.MapAsync<int, Task<int>>(async x => { await Task.Delay(1); return x; }, items)|};
                _ = {|PIPE0108:executor.Map<int, int, Task<int>>((x, y) => FetchAsync(x + y), items, items)|};
            }
        }
        """));

    [Fact]
    public Task QuietForFuturesOfValues() => Verify.VerifyAnalyzerAsync(TestSources.With("""
        public static class Program
        {
            public static async Task Run(IExecutor executor, int[] items, CancellationToken token)
            {
                Future<int> a = executor.Submit(ct => Task.FromResult(42));
                Future<int> b = executor.Submit(async ct => { await Task.Delay(1, ct); return 42; });
                Future<string> c = executor.Submit(() => "text");
                Future d = executor.Submit(() => { });
                IEnumerable<int> e = executor.Map(x => x * 2, items);
                Task<int> inner = a.AsTask();
                int value = await a;
                Future<Future<int>> nested = executor.Submit(() => a);
                Console.WriteLine(value + (await inner) + c.GetResult().Length + e.Count() + nested.GetHashCode() + d.GetHashCode() + b.GetHashCode());
            }
        }
        """));
}
