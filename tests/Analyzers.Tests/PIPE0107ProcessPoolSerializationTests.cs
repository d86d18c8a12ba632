using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0107ProcessPoolSerializationAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE0107 reads the [StubFor] attribute the generator puts on every stub; the methods and their hand-written stubs
/// are in <see cref="PIPE0107ProcessPoolSerializationSources"/>.
/// </summary>
public class PIPE0107ProcessPoolSerializationTests
{
    private static DiagnosticResult Expect(int location, string method, string reason, string advice)
        => new DiagnosticResult(Pipelines.Generator.Analyzers.PIPE0107ProcessPoolSerializationAnalyzer.Id, DiagnosticSeverity.Warning)
            .WithLocation(location)
            .WithArguments(method, reason, advice);

    private static string With(string code) => TestSources.Usings + "using System.IO;\nusing Demo;\n\n" + code + PIPE0107ProcessPoolSerializationSources.Jobs;

    [Fact]
    public Task ParametersThatCannotTravel() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static void Run(ProcessPoolExecutor pool, Func<int> f, Transform t, IJob job, Shape shape, Task<int> pending, MemoryStream stream)
            {
                _ = pool.SubmitApply({|PIPE0107:f|});
                _ = pool.SubmitApply(function: {|PIPE0107:new Func<int>(() => 1)|});
                _ = pool.SubmitConvert({|PIPE0107:t|});
                _ = pool.SubmitTag({|PIPE0107:"tag"|});
                _ = pool.SubmitDescribe({|PIPE0107:FutureOr<IJob>.FromValue(job)|});
                _ = pool.SubmitSides({|PIPE0107:shape|});
                _ = pool.SubmitAwait({|PIPE0107:pending|});
                _ = pool.SubmitLength({|PIPE0107:stream|});
                _ = pool.SubmitBuffered({|PIPE0107:stream|});
                _ = pool.SubmitName({|PIPE0107:typeof(int)|});
                _ = pool.SubmitInvoke({|PIPE0107:typeof(Program).GetMethod("Run")!|});
                _ = pool.SubmitAddress({|PIPE0107:IntPtr.Zero|});
                _ = pool.SubmitSize({|PIPE0107:(nuint)1|});
            }
        }
        """));

    [Fact]
    public Task LooksThroughArraysNullablesAndCollections() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static void Run(ProcessPoolExecutor pool)
            {
                _ = pool.SubmitSum({|PIPE0107:new List<Func<int>>()|});
                _ = pool.SubmitValues({|PIPE0107:new Dictionary<string, object>()|});
                _ = pool.SubmitAll({|PIPE0107:Array.Empty<IJob>()|});
                _ = pool.SubmitShapes({|PIPE0107:FutureOr<IReadOnlyList<Shape?>>.FromValue(new List<Shape?>())|});
                _ = pool.SubmitHandles({|PIPE0107:new IntPtr?[1]|});
                _ = pool.SubmitGrid({|PIPE0107:new int[2, 2]|});
                _ = pool.SubmitItems({|PIPE0107:FutureOr<System.Collections.IList>.FromValue(new System.Collections.ArrayList())|});
            }
        }
        """));

    [Fact]
    public Task ResultsThatCannotTravel() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static void Run(ProcessPoolExecutor pool)
            {
                _ = {|PIPE0107:pool.SubmitMake()|};
                _ = {|PIPE0107:pool.SubmitOpenAsync("a.txt")|};
                _ = {|PIPE0107:pool.SubmitLoadAsync()|};
            }
        }
        """));

    [Fact]
    public Task MethodsThatCannotRunInAProcessPool() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static async Task Run(Scaler scaler)
            {
                await using var pool = new ProcessPoolExecutor();
                _ = {|PIPE0107:pool.SubmitScale(scaler, 2)|};
                _ = {|PIPE0107:pool.SubmitEcho<int>(2)|};
                _ = {|PIPE0107:pool.SubmitPoke(2)|};
                _ = {|PIPE0107:OtherStubs.SubmitScale(pool, scaler, 2)|};
            }
        }
        """));

    [Fact]
    public Task MessagesNameTheMethodTheParameterAndTheType()
    {
        var test = new Verify.Test
        {
            TestCode = With("""
                public static class Program
                {
                    public static void Run(ProcessPoolExecutor pool, Func<int> f, Scaler scaler)
                    {
                        _ = pool.SubmitApply({|#0:f|});
                        _ = pool.SubmitSum({|#1:new List<Func<int>>()|});
                        _ = {|#2:pool.SubmitOpenAsync("a.txt")|};
                        _ = {|#3:pool.SubmitScale(scaler, 2)|};
                        _ = {|#4:pool.SubmitEcho<int>(2)|};
                    }
                }
                """),
        };
        test.ExpectedDiagnostics.Add(Expect(0, "Jobs.Apply", "parameter 'function' has type 'Func<int>', a delegate, which System.Text.Json cannot send", "pass data, not behaviour"));
        test.ExpectedDiagnostics.Add(Expect(1, "Jobs.Sum", "parameter 'functions' has type 'List<Func<int>>', and its 'Func<int>' is a delegate, which System.Text.Json cannot send", "pass data, not behaviour"));
        test.ExpectedDiagnostics.Add(Expect(2, "Jobs.OpenAsync", "its result has type 'Stream', a stream, which cannot cross processes", "pass the bytes or a file path"));
        test.ExpectedDiagnostics.Add(Expect(3, "Scaler.Scale", "it is an instance method, and process pools run only static, non-generic [Submittable] methods", "make it static and pass the state it needs as arguments"));
        test.ExpectedDiagnostics.Add(Expect(4, "Generic.Echo", "it is a generic method, and process pools run only static, non-generic [Submittable] methods", "add a non-generic [Submittable] method for the types you need"));
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The generator rejects pointers (PIPE0102) and makes no stub, so this only guards hand-written [StubFor] stubs.</summary>
    [Fact]
    public Task Pointers()
    {
        var test = new Verify.Test
        {
            TestCode = TestSources.Usings + """
                namespace Demo
                {
                    public static unsafe class Native
                    {
                        [Submittable] public static int Peek(int* address) => *address;
                    }

                    [global::System.CodeDom.Compiler.GeneratedCode("Pipelines.Generator", "0.1.0")]
                    public static partial class NativeStubs
                    {
                        [global::Pipelines.Internals.StubFor("M:Demo.Native.Peek(System.Int32*)", true)]
                        public static Future<int> SubmitPeek(this IExecutor executor) => throw null!;
                    }

                    public static class Program
                    {
                        public static void Run(ProcessPoolExecutor pool)
                        {
                            _ = {|PIPE0107:pool.SubmitPeek()|};
                        }
                    }
                }
                """,
        };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId,
            ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task QuietForDataThatTravels() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static void Run(ProcessPoolExecutor pool, Future<int> a)
            {
                _ = pool.SubmitAdd(a, 2);
                _ = pool.SubmitConcat("a", (string?)null, 'c', 1m, 2.0);
                _ = pool.SubmitMove(new Point(1, 2), Mode.Fast, (int?)null);
                _ = pool.SubmitTotal(new[] { 1 }, new List<int>(), new int[0][]);
                _ = pool.SubmitLookup(new Dictionary<string, Point>(), FutureOr<IReadOnlyList<Point>>.FromValue(new List<Point>()), FutureOr<IReadOnlyDictionary<string, int[]>>.FromValue(new Dictionary<string, int[]>()));
                _ = pool.SubmitCollections();
                _ = pool.SubmitWhen();
                _ = pool.SubmitReadAsync("a.txt");
                _ = pool.SubmitFlushAsync();
                _ = pool.SubmitPointsAsync();
                _ = pool.SubmitLog("hello");
            }
        }
        """));

    [Fact]
    public Task QuietForOtherExecutorsAndThenStubs() => Verify.VerifyAnalyzerAsync(With("""
        public static class Program
        {
            public static void Run(ProcessPoolExecutor pool, ThreadPoolExecutor threads, IExecutor executor, Executor any, Func<int> f, Scaler scaler)
            {
                _ = threads.SubmitApply(f);
                _ = threads.SubmitScale(scaler, 2);
                _ = threads.SubmitMake();
                _ = executor.SubmitApply(f);
                _ = executor.SubmitEcho<int>(2);
                _ = any.SubmitApply(f);
                _ = ((IExecutor)pool).SubmitApply(f);
                _ = pool.SubmitAdd(1, 2).ThenScale(scaler);
                _ = pool.Submit(() => f).ThenApply();
                _ = OtherStubs.SubmitScale(threads, scaler, 2);
            }
        }
        """));
}
