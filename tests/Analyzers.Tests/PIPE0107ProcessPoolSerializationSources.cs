namespace Pipelines.Analyzers.Tests;

/// <summary>
/// The [Submittable] methods PIPE0107's tests submit, with stubs hand-written as the generator writes them: each marked
/// <c>[StubFor(methodId, runsInProcessPools)]</c> — the method's documentation ID, and whether the generated call can
/// run in a process pool at all.
/// </summary>
internal static class PIPE0107ProcessPoolSerializationSources
{
    /// <summary>Types, methods and stubs in namespace <c>Demo</c>.</summary>
    public const string Jobs = """

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
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Apply(System.Func{System.Int32})", true)]
                public static Future<int> SubmitApply(this IExecutor executor, FutureOr<Func<int>> function) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Apply(System.Func{System.Int32})", true)]
                public static Future<int> ThenApply(this Future<Func<int>> source) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Convert(Demo.Transform)", true)]
                public static Future<int> SubmitConvert(this IExecutor executor, FutureOr<Transform> transform) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Tag(System.Object)", true)]
                public static Future<string> SubmitTag(this IExecutor executor, FutureOr<object> tag) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Describe(Demo.IJob)", true)]
                public static Future<int> SubmitDescribe(this IExecutor executor, FutureOr<IJob> job) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Sides(Demo.Shape)", true)]
                public static Future<int> SubmitSides(this IExecutor executor, FutureOr<Shape> shape) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Await(System.Threading.Tasks.Task{System.Int32})", true)]
                public static Future<int> SubmitAwait(this IExecutor executor, FutureOr<Task<int>> pending) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Length(System.IO.Stream)", true)]
                public static Future<long> SubmitLength(this IExecutor executor, FutureOr<Stream> stream) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Buffered(System.IO.MemoryStream)", true)]
                public static Future<long> SubmitBuffered(this IExecutor executor, FutureOr<MemoryStream> stream) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Name(System.Type)", true)]
                public static Future<string> SubmitName(this IExecutor executor, FutureOr<Type> type) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Invoke(System.Reflection.MethodInfo)", true)]
                public static Future<string> SubmitInvoke(this IExecutor executor, FutureOr<System.Reflection.MethodInfo> method) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Address(System.IntPtr)", true)]
                public static Future<long> SubmitAddress(this IExecutor executor, FutureOr<IntPtr> handle) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Size(System.UIntPtr)", true)]
                public static Future<ulong> SubmitSize(this IExecutor executor, FutureOr<nuint> size) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Sum(System.Collections.Generic.List{System.Func{System.Int32}})", true)]
                public static Future<int> SubmitSum(this IExecutor executor, FutureOr<List<Func<int>>> functions) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Values(System.Collections.Generic.Dictionary{System.String,System.Object})", true)]
                public static Future<int> SubmitValues(this IExecutor executor, FutureOr<Dictionary<string, object>> values) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.All(Demo.IJob[])", true)]
                public static Future<int> SubmitAll(this IExecutor executor, FutureOr<IJob[]> jobs) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Shapes(System.Collections.Generic.IReadOnlyList{Demo.Shape})", true)]
                public static Future<int> SubmitShapes(this IExecutor executor, FutureOr<IReadOnlyList<Shape?>> shapes) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Handles(System.Nullable{System.IntPtr}[])", true)]
                public static Future<int> SubmitHandles(this IExecutor executor, FutureOr<IntPtr?[]> handles) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Grid(System.Int32[0:,0:])", true)]
                public static Future<int> SubmitGrid(this IExecutor executor, FutureOr<int[,]> grid) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Items(System.Collections.IList)", true)]
                public static Future<int> SubmitItems(this IExecutor executor, FutureOr<System.Collections.IList> items) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Make", true)]
                public static Future<Func<int>> SubmitMake(this IExecutor executor) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.OpenAsync(System.String)", true)]
                public static Future<Stream> SubmitOpenAsync(this IExecutor executor, FutureOr<string> path) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.LoadAsync", true)]
                public static Future<object> SubmitLoadAsync(this IExecutor executor) => throw null!;

                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Add(System.Int32,System.Int32)", true)]
                public static Future<int> SubmitAdd(this IExecutor executor, FutureOr<int> a, FutureOr<int> b) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Concat(System.String,System.String,System.Char,System.Decimal,System.Double)", true)]
                public static Future<string> SubmitConcat(this IExecutor executor, FutureOr<string> a, FutureOr<string?> b, FutureOr<char> c, FutureOr<decimal> d, FutureOr<double> e) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Move(Demo.Point,Demo.Mode,System.Nullable{System.Int32})", true)]
                public static Future<Point> SubmitMove(this IExecutor executor, FutureOr<Point> point, FutureOr<Mode> mode, FutureOr<int?> limit) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Total(System.Int32[],System.Collections.Generic.List{System.Int32},System.Int32[][])", true)]
                public static Future<int> SubmitTotal(this IExecutor executor, FutureOr<int[]> values, FutureOr<List<int>> more, FutureOr<int[][]> jagged) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Lookup(System.Collections.Generic.Dictionary{System.String,Demo.Point},System.Collections.Generic.IReadOnlyList{Demo.Point},System.Collections.Generic.IReadOnlyDictionary{System.String,System.Int32[]})", true)]
                public static Future<int> SubmitLookup(this IExecutor executor, FutureOr<Dictionary<string, Point>> points, FutureOr<IReadOnlyList<Point>> firsts, FutureOr<IReadOnlyDictionary<string, int[]>> counts) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Collections(System.Collections.Generic.IEnumerable{System.Int32},System.Collections.Generic.ICollection{System.String},System.Collections.Generic.IList{Demo.Point},System.Collections.Generic.IReadOnlyCollection{Demo.Mode},System.Collections.Generic.ISet{System.Int32},System.Collections.Generic.IReadOnlySet{System.Guid},System.Collections.Generic.IDictionary{System.String,System.Collections.Generic.List{Demo.Point}})", true)]
                public static Future<int> SubmitCollections(this IExecutor executor) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.When(System.DateTime,System.DateTimeOffset,System.Guid,System.TimeSpan,System.Nullable{Demo.Mode},System.Nullable{System.DateTime})", true)]
                public static Future<DateTime> SubmitWhen(this IExecutor executor) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.ReadAsync(System.String,System.Threading.CancellationToken)", true)]
                public static Future<string> SubmitReadAsync(this IExecutor executor, FutureOr<string> path) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.FlushAsync(System.Threading.CancellationToken)", true)]
                public static Future SubmitFlushAsync(this IExecutor executor) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.PointsAsync", true)]
                public static Future<List<Point>> SubmitPointsAsync(this IExecutor executor) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Jobs.Log(System.String)", true)]
                public static Future SubmitLog(this IExecutor executor, FutureOr<string> message) => throw null!;
            }

            [global::System.CodeDom.Compiler.GeneratedCode("Pipelines.Generator", "0.1.0")]
            public static partial class OtherStubs
            {
                [global::Pipelines.Internals.StubFor("M:Demo.Dynamics.Poke(System.Object)", false)]
                public static Future<int> SubmitPoke(this IExecutor executor, FutureOr<dynamic> value) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Generic.Echo``1(``0)", false)]
                public static Future<T> SubmitEcho<T>(this IExecutor executor, FutureOr<T> value) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Scaler.Scale(System.Int32)", false)]
                public static Future<int> SubmitScale(this IExecutor executor, FutureOr<Scaler> target, FutureOr<int> value) => throw null!;
                [global::Pipelines.Internals.StubFor("M:Demo.Scaler.Scale(System.Int32)", false)]
                public static Future<int> ThenScale(this Future<int> source, FutureOr<Scaler> target) => throw null!;
            }
        }
        """;
}
