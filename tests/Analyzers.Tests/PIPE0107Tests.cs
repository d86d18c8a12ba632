using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Pipelines.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Pipelines.Generator.Analyzers.PIPE0107ProcessPoolSerializationAnalyzer>;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE0107 reads the [StubFor] attribute the generator puts on every stub, so the stubs below are hand-written the
/// same way: the method's documentation ID, and whether the generated call can run in a process pool at all.
/// </summary>
public class PIPE0107Tests
{
    private const string Jobs = """

        namespace Demo
        {
            public sealed record Point(int X, int Y);
            public enum Mode { Fast, Slow }
            public interface IJob { int Run(); }
            public abstract class Shape { public int Sides { get; set; } }
            public delegate int Transform(int value);

            public static class Jobs
            {
                // Cannot travel.
                [Submittable] public static int Apply(Func<int> function) => function();
                [Submittable] public static int Convert(Transform transform) => transform(1);
                [Submittable] public static string Tag(object tag) => "";
                [Submittable] public static int Describe(IJob job) => job.Run();
                [Submittable] public static int Sides(Shape shape) => shape.Sides;
                [Submittable] public static int Await(Task<int> pending) => 0;
                [Submittable] public static long Length(Stream stream) => stream.Length;
                [Submittable] public static long Buffered(MemoryStream stream) => stream.Length;
                [Submittable] public static string Name(Type type) => type.Name;
                [Submittable] public static string Invoke(System.Reflection.MethodInfo method) => method.Name;
                [Submittable] public static long Address(IntPtr handle) => (long)handle;
                [Submittable] public static ulong Size(nuint size) => size;
                [Submittable] public static int Sum(List<Func<int>> functions) => 0;
                [Submittable] public static int Values(Dictionary<string, object> values) => 0;
                [Submittable] public static int All(IJob[] jobs) => 0;
                [Submittable] public static int Shapes(IReadOnlyList<Shape?> shapes) => 0;
                [Submittable] public static int Handles(IntPtr?[] handles) => 0;
                [Submittable] public static int Grid(int[,] grid) => 0;
                [Submittable] public static int Items(System.Collections.IList items) => 0;
                [Submittable] public static Func<int> Make() => () => 1;
                [Submittable] public static Task<Stream> OpenAsync(string path) => Task.FromResult<Stream>(new MemoryStream());
                [Submittable] public static ValueTask<object> LoadAsync() => default;

                // Travel fine.
                [Submittable] public static int Add(int a, int b) => a + b;
                [Submittable] public static string Concat(string a, string? b, char c, decimal d, double e) => a + b;
                [Submittable] public static Point Move(Point point, Mode mode, int? limit) => point;
                [Submittable] public static int Total(int[] values, List<int> more, int[][] jagged) => 0;
                [Submittable] public static int Lookup(Dictionary<string, Point> points, IReadOnlyList<Point> firsts, IReadOnlyDictionary<string, int[]> counts) => 0;
                [Submittable] public static int Collections(IEnumerable<int> a, ICollection<string> b, IList<Point> c, IReadOnlyCollection<Mode> d, ISet<int> e, IReadOnlySet<Guid> f, IDictionary<string, List<Point>> g) => 0;
                [Submittable] public static DateTime When(DateTime at, DateTimeOffset offset, Guid id, TimeSpan delay, Mode? mode, DateTime? until) => at;
                [Submittable] public static Task<string> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(path);
                [Submittable] public static Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                [Submittable] public static ValueTask<List<Point>> PointsAsync() => default;
                [Submittable] public static void Log(string message) { }
            }

            public static class Dynamics
            {
                [Submittable] public static int Poke(dynamic value) => 0;
            }

            public static class Generic
            {
                [Submittable] public static T Echo<T>(T value) => value;
            }

            public sealed class Scaler
            {
                [Submittable] public int Scale(int value) => value;
            }

            [global::System.CodeDom.Compiler.GeneratedCode("Pipelines.Generator", "0.1.0")]
            public static partial class JobsStubs
            {
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Apply(System.Func{System.Int32})", true)]
                public static Future<int> SubmitApply(this IExecutor executor, FutureOr<Func<int>> function) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Apply(System.Func{System.Int32})", true)]
                public static Future<int> ThenApply(this Future<Func<int>> source) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Convert(Demo.Transform)", true)]
                public static Future<int> SubmitConvert(this IExecutor executor, FutureOr<Transform> transform) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Tag(System.Object)", true)]
                public static Future<string> SubmitTag(this IExecutor executor, FutureOr<object> tag) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Describe(Demo.IJob)", true)]
                public static Future<int> SubmitDescribe(this IExecutor executor, FutureOr<IJob> job) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Sides(Demo.Shape)", true)]
                public static Future<int> SubmitSides(this IExecutor executor, FutureOr<Shape> shape) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Await(System.Threading.Tasks.Task{System.Int32})", true)]
                public static Future<int> SubmitAwait(this IExecutor executor, FutureOr<Task<int>> pending) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Length(System.IO.Stream)", true)]
                public static Future<long> SubmitLength(this IExecutor executor, FutureOr<Stream> stream) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Buffered(System.IO.MemoryStream)", true)]
                public static Future<long> SubmitBuffered(this IExecutor executor, FutureOr<MemoryStream> stream) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Name(System.Type)", true)]
                public static Future<string> SubmitName(this IExecutor executor, FutureOr<Type> type) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Invoke(System.Reflection.MethodInfo)", true)]
                public static Future<string> SubmitInvoke(this IExecutor executor, FutureOr<System.Reflection.MethodInfo> method) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Address(System.IntPtr)", true)]
                public static Future<long> SubmitAddress(this IExecutor executor, FutureOr<IntPtr> handle) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Size(System.UIntPtr)", true)]
                public static Future<ulong> SubmitSize(this IExecutor executor, FutureOr<nuint> size) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Sum(System.Collections.Generic.List{System.Func{System.Int32}})", true)]
                public static Future<int> SubmitSum(this IExecutor executor, FutureOr<List<Func<int>>> functions) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Values(System.Collections.Generic.Dictionary{System.String,System.Object})", true)]
                public static Future<int> SubmitValues(this IExecutor executor, FutureOr<Dictionary<string, object>> values) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.All(Demo.IJob[])", true)]
                public static Future<int> SubmitAll(this IExecutor executor, FutureOr<IJob[]> jobs) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Shapes(System.Collections.Generic.IReadOnlyList{Demo.Shape})", true)]
                public static Future<int> SubmitShapes(this IExecutor executor, FutureOr<IReadOnlyList<Shape?>> shapes) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Handles(System.Nullable{System.IntPtr}[])", true)]
                public static Future<int> SubmitHandles(this IExecutor executor, FutureOr<IntPtr?[]> handles) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Grid(System.Int32[0:,0:])", true)]
                public static Future<int> SubmitGrid(this IExecutor executor, FutureOr<int[,]> grid) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Items(System.Collections.IList)", true)]
                public static Future<int> SubmitItems(this IExecutor executor, FutureOr<System.Collections.IList> items) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Make", true)]
                public static Future<Func<int>> SubmitMake(this IExecutor executor) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.OpenAsync(System.String)", true)]
                public static Future<Stream> SubmitOpenAsync(this IExecutor executor, FutureOr<string> path) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.LoadAsync", true)]
                public static Future<object> SubmitLoadAsync(this IExecutor executor) => throw null!;

                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Add(System.Int32,System.Int32)", true)]
                public static Future<int> SubmitAdd(this IExecutor executor, FutureOr<int> a, FutureOr<int> b) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Concat(System.String,System.String,System.Char,System.Decimal,System.Double)", true)]
                public static Future<string> SubmitConcat(this IExecutor executor, FutureOr<string> a, FutureOr<string?> b, FutureOr<char> c, FutureOr<decimal> d, FutureOr<double> e) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Move(Demo.Point,Demo.Mode,System.Nullable{System.Int32})", true)]
                public static Future<Point> SubmitMove(this IExecutor executor, FutureOr<Point> point, FutureOr<Mode> mode, FutureOr<int?> limit) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Total(System.Int32[],System.Collections.Generic.List{System.Int32},System.Int32[][])", true)]
                public static Future<int> SubmitTotal(this IExecutor executor, FutureOr<int[]> values, FutureOr<List<int>> more, FutureOr<int[][]> jagged) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Lookup(System.Collections.Generic.Dictionary{System.String,Demo.Point},System.Collections.Generic.IReadOnlyList{Demo.Point},System.Collections.Generic.IReadOnlyDictionary{System.String,System.Int32[]})", true)]
                public static Future<int> SubmitLookup(this IExecutor executor, FutureOr<Dictionary<string, Point>> points, FutureOr<IReadOnlyList<Point>> firsts, FutureOr<IReadOnlyDictionary<string, int[]>> counts) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Collections(System.Collections.Generic.IEnumerable{System.Int32},System.Collections.Generic.ICollection{System.String},System.Collections.Generic.IList{Demo.Point},System.Collections.Generic.IReadOnlyCollection{Demo.Mode},System.Collections.Generic.ISet{System.Int32},System.Collections.Generic.IReadOnlySet{System.Guid},System.Collections.Generic.IDictionary{System.String,System.Collections.Generic.List{Demo.Point}})", true)]
                public static Future<int> SubmitCollections(this IExecutor executor) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.When(System.DateTime,System.DateTimeOffset,System.Guid,System.TimeSpan,System.Nullable{Demo.Mode},System.Nullable{System.DateTime})", true)]
                public static Future<DateTime> SubmitWhen(this IExecutor executor) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.ReadAsync(System.String,System.Threading.CancellationToken)", true)]
                public static Future<string> SubmitReadAsync(this IExecutor executor, FutureOr<string> path) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.FlushAsync(System.Threading.CancellationToken)", true)]
                public static Future SubmitFlushAsync(this IExecutor executor) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.PointsAsync", true)]
                public static Future<List<Point>> SubmitPointsAsync(this IExecutor executor) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Jobs.Log(System.String)", true)]
                public static Future SubmitLog(this IExecutor executor, FutureOr<string> message) => throw null!;
            }

            [global::System.CodeDom.Compiler.GeneratedCode("Pipelines.Generator", "0.1.0")]
            public static partial class OtherStubs
            {
                [global::Pipelines.Advanced.StubFor("M:Demo.Dynamics.Poke(System.Object)", false)]
                public static Future<int> SubmitPoke(this IExecutor executor, FutureOr<dynamic> value) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Generic.Echo``1(``0)", false)]
                public static Future<T> SubmitEcho<T>(this IExecutor executor, FutureOr<T> value) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Scaler.Scale(System.Int32)", false)]
                public static Future<int> SubmitScale(this IExecutor executor, FutureOr<Scaler> target, FutureOr<int> value) => throw null!;
                [global::Pipelines.Advanced.StubFor("M:Demo.Scaler.Scale(System.Int32)", false)]
                public static Future<int> ThenScale(this Future<int> source, FutureOr<Scaler> target) => throw null!;
            }
        }
        """;

    private static DiagnosticResult Expect(int location, string method, string reason, string advice)
        => new DiagnosticResult(Pipelines.Generator.Analyzers.PIPE0107ProcessPoolSerializationAnalyzer.Id, DiagnosticSeverity.Warning)
            .WithLocation(location)
            .WithArguments(method, reason, advice);

    private static string With(string code) => TestSources.Usings + "using System.IO;\nusing Demo;\n\n" + code + Jobs;

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
                        [global::Pipelines.Advanced.StubFor("M:Demo.Native.Peek(System.Int32*)", true)]
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
