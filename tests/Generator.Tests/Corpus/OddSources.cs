using System.Collections.Generic;

namespace Pipelines.Generator.Tests.Corpus;

/// <summary>
/// Legal C# that is unusual for a [Submittable] method: names that clash only ignoring case or once nested types are
/// flattened, names the generator itself gives out, keywords, ref structs, pointers, <c>__arglist</c>, obsolete and
/// experimental members, caller-info and <c>params</c> parameters, defaults of every constant kind, partial methods,
/// records, extension methods. Each source compiles on its own (a PIPE01xx error aside); every [Submittable] method in it
/// gets stubs that compile without a warning, or a PIPE01xx diagnostic that says why it has none.
/// </summary>
internal static class OddSources
{
    public static IReadOnlyDictionary<string, string> All { get; } = new SortedDictionary<string, string>(System.StringComparer.Ordinal)
    {
        // ---- Names: hint names are compared ignoring case; nested types are flattened with '_'. ----
        ["MethodsDifferingInCase"] = """
            namespace N;
            public static class Jobs
            {
                [Submittable] public static int Foo(int x) => x;
                [Submittable] public static string foo(string s) => s;
            }
            """,
        ["TypesDifferingInCase"] = """
            namespace N;
            public static class Jobs { [Submittable] public static int Run(int x) => x; }
            public static class jobs { [Submittable] public static string Run(string s) => s; }
            """,
        ["NestedTypeFlattensOntoAnother"] = """
            namespace N;
            public static class Outer
            {
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
            internal static class Outer_Inner { [Submittable] public static string Run(string s) => s; }
            """,
        ["NestedTypeFlattensOntoAnotherWithTheSameStub"] = """
            namespace N;
            public static class Outer
            {
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
            public static class Outer_Inner { [Submittable] public static int Run(int y) => y; }
            """,
        ["NamespaceAndTypeDifferingInCase"] = """
            namespace A.b
            {
                public static class C { [Submittable] public static int M(int x) => x; }
            }
            namespace A
            {
                public static class B { [Submittable] public static int CStubs(int x) => x; }
            }
            """,
        ["MethodNamedLikeTheRegistrationsFile"] = """
            public static class pipelines { [Submittable] public static int RemoteCallRegistrations(int x) => x; }
            """,
        ["CallClassNamedLikeAStub"] = """
            namespace N;
            public static class Jobs
            {
                [Submittable] public static int SubmitX(int a) => a;
                [Submittable] public static int XCall(int a) => a;
            }
            """,
        ["StubNamedLikeItsClass"] = """
            namespace N;
            public static class SubmitX { [Submittable] public static int XStubs(int a) => a; }
            """,
        ["UserTypeNamedLikeTheStubsClass"] = """
            namespace N;
            public static class Jobs { [Submittable] public static int Run(int x) => x; }
            public class JobsStubs { }
            """,
        ["UserPartialStaticClassNamedLikeTheStubsClass"] = """
            namespace N;
            public static class Jobs { [Submittable] public static int Run(int x) => x; }
            public static partial class JobsStubs { public static int Helper() => 1; }
            """,
        ["NamespaceNamedLikeTheStubsClass"] = """
            namespace N
            {
                public static class Jobs { [Submittable] public static int Run(int x) => x; }
            }
            namespace N.JobsStubs
            {
                public class Other { }
            }
            """,
        ["Keywords"] = """
            namespace @event.@class;
            public static class @struct
            {
                [Submittable] public static int @int(int @params, string @this, object @executor, int @source) => 0;
                [Submittable] public static @class @new<@class>(@class @default) => @default;
            }
            """,
        ["ParametersNamedLikeGeneratedMembers"] = """
            namespace N;
            public static class Names
            {
                [Submittable] public static int Base(int DependOn, int Start, int Invoke, int ReleaseArguments, int Retries, int TimeoutMilliseconds) => 0;
                [Submittable] public static int Remote(int MethodId, int ArgumentCount, int GetArgumentFuture, int WriteArgument, int index, int writer, int options) => 0;
                [Submittable] public static int Locals(int arguments, int result, int cancellationToken, int __arguments, int _x, int x, int CancellationToken) => 0;
                [Submittable] public static int Stubs(int executor, int source, int executor1, int target, int FromValue, int FromFuture, int ExecutorOf) => 0;
            }
            public class Holder
            {
                [Submittable] public int Instance(int target, int target1, int DependOn) => 0;
            }
            """,
        ["OverloadsAndACustomName"] = """
            namespace N;
            public static class Jobs
            {
                [Submittable] public static int Run(int x) => x;
                [Submittable] public static int Run(long x) => 0;
                [Submittable(Name = "Run")] public static int Other(string s) => 0;
                [Submittable(Name = "class")] public static int Keyword(int x) => x;
            }
            """,

        // ---- Types that cannot be stored, and calls a stub cannot forward. ----
        ["InstanceMethodOfARefStruct"] = """
            namespace N;
            public ref struct Cursor
            {
                public int Position;
                [Submittable] public int Peek(int offset) => Position + offset;
                [Submittable] public static int Static(int x) => x;
            }
            public readonly ref struct Frozen
            {
                [Submittable] public int Get() => 1;
            }
            """,
        ["ArraysOfPointers"] = """
            namespace N;
            public static unsafe class Native
            {
                [Submittable] public static int Pointers(int*[] values) => values.Length;
                [Submittable] public static int Functions(delegate*<int, int>[] functions) => functions.Length;
                [Submittable] public static int Listed(System.Collections.Generic.List<int*[]> values) => values.Count;
                [Submittable] public static int*[] Returned(int n) => new int*[n];
                [Submittable] public static int Plain(int x) => x;
            }
            """,
        ["Arglist"] = """
            namespace N;
            public static class Varargs
            {
                [Submittable] public static int Count(int x, __arglist) => new System.ArgIterator(__arglist).GetRemainingCount() + x;
            }
            """,
        ["ScopedRefReadonlyAndIn"] = """
            namespace N;
            public readonly struct Point { public readonly int X; public Point(int x) => X = x; }
            public static class ByReference
            {
                [Submittable] public static int Scoped(scoped System.ReadOnlySpan<int> values) => values.Length;
                [Submittable] public static int ScopedRef(scoped ref int x) => x;
                [Submittable] public static int RefReadonly(ref readonly int x) => x;
                [Submittable] public static int In(in Point p) => p.X;
                [Submittable] public static int ByValue(Point p) => p.X;
            }
            """,

        // ---- Attributes a stub must honour. ----
        ["Obsolete"] = """
            namespace N;
            public static class Old
            {
                [System.Obsolete] [Submittable] public static int Plain(int x) => x;
                [System.Obsolete("Use New.")] [Submittable] public static int WithMessage(int x) => x;
                [System.Obsolete("Gone.", true)] [Submittable] public static int AsError(int x) => x;
                [System.Obsolete("Custom.", DiagnosticId = "OLD001", UrlFormat = "https://example.com/{0}")] [Submittable] public static int WithId(int x) => x;
            }
            [System.Obsolete("The whole type.")]
            public static class OldType
            {
                [Submittable] public static int Run(int x) => x;
            }
            [System.Obsolete("The whole type, as an error.", true)]
            public static class GoneType
            {
                [Submittable] public static int Run(string x) => 0;
            }
            """,
        ["Experimental"] = """
            namespace N;
            public static class Preview
            {
                [System.Diagnostics.CodeAnalysis.Experimental("PREVIEW001")] [Submittable] public static int Run(int x) => x;
            }
            """,
        ["CallerInfo"] = """
            using System.Runtime.CompilerServices;
            namespace N;
            public static class Info
            {
                [Submittable] public static string Where([CallerMemberName] string member = "", [CallerLineNumber] int line = 0, [CallerFilePath] string file = "") => $"{member}:{line}:{file}";
                [Submittable] public static string Check(int value, [CallerArgumentExpression("value")] string expression = "") => expression;
                [Submittable] public static string First([CallerMemberName] string member = "", int after = 1) => member;
                [Submittable] public static long Wide([CallerLineNumber] long line = 0, [CallerMemberName] object? member = null) => line;
            }
            """,
        ["NullabilityAttributes"] = """
            using System.Diagnostics.CodeAnalysis;
            namespace N;
            public static class Texts
            {
                [Submittable] public static string Allows([AllowNull] string text, [AllowNull] string[] lines) => text ?? "null";
                [Submittable] public static int Disallows([DisallowNull] string? text, [DisallowNull] int[]? numbers = null) => text!.Length;
                [Submittable] public static T Generic<T>([AllowNull] T value, [DisallowNull] T other) => other;
                [Submittable] public static string WithDefault([AllowNull] string text = null) => text ?? "";
            }
            """,
        ["Params"] = """
            namespace N;
            public static class Variadic
            {
                [Submittable] public static int Ints(params int[] values) => values.Length;
                [Submittable] public static int Generic<T>(params T[] values) => values.Length;
                [Submittable] public static int AfterOthers(string label, params string[] values) => values.Length;
                [Submittable] public static int Objects(params object[] values) => values.Length;
                [Submittable] public static int Nullable(params int[]? values) => values?.Length ?? 0;
            }
            """,

        // ---- Defaults of every constant kind. ----
        ["DefaultsOfEveryKind"] = """
            namespace N;
            public enum Small : byte { A = 1, B = 255 }
            public enum Huge : ulong { Max = ulong.MaxValue }
            public enum Signed : long { Min = long.MinValue }
            [System.Flags] public enum Flags { None = 0, One = 1, Two = 2 }
            public struct Pair { public int A; }
            public static class Defaults
            {
                public const int Constant = 1 << 3;
                [Submittable] public static int Numbers(
                    byte a = 255, sbyte b = -128, short c = short.MinValue, ushort d = ushort.MaxValue, int e = int.MinValue, uint f = uint.MaxValue,
                    long g = long.MinValue, ulong h = ulong.MaxValue, nint i = -5, nuint j = 5, float k = float.Epsilon, double l = -0.0,
                    double m = double.NaN, float n = float.NegativeInfinity, decimal o = decimal.MinValue, decimal p = 0.0000000000000000000000000001m,
                    decimal q = 1.50m, int r = Constant, int s = default, double t = 1e308, float u = float.MaxValue) => 0;
                [Submittable] public static int Text(
                    char a = '\0', char b = '\uffff', char c = (char)0xD800, string d = "\ud83d\ude00 \u0000 \"q\" \\ \r\n\t", string e = nameof(Text),
                    string? f = null, string g = "", char? h = 'x', string i = null!) => 0;
                [Submittable] public static int Enums(
                    Small a = Small.B, Huge b = Huge.Max, Signed c = Signed.Min, Flags d = Flags.One | Flags.Two, Flags e = (Flags)8, Small? f = null,
                    Small? g = Small.A, System.DayOfWeek h = System.DayOfWeek.Sunday) => 0;
                [Submittable] public static int Structs(
                    Pair a = default, Pair b = new Pair(), System.DateTime c = default, System.Guid d = default, (int, string) e = default,
                    System.TimeSpan? f = null, int? g = 5, double? h = -1.5, bool? i = false) => 0;
                [Submittable] public static int References(
                    object? a = null, int[]? b = null, int[] c = null!, System.Collections.Generic.List<int>? d = default, System.IDisposable? e = null,
                    System.Func<int>? f = null, object g = null!) => 0;
                [Submittable] public static int Attributes(
                    [System.Runtime.InteropServices.Optional] int a, [System.Runtime.InteropServices.Optional] object? b,
                    [System.Runtime.InteropServices.Optional, System.Runtime.InteropServices.DefaultParameterValue(7)] int c,
                    [System.Runtime.InteropServices.Optional, System.Runtime.InteropServices.DefaultParameterValue(null)] string? d) => 0;
                [Submittable] public static T Generic<T>(T a = default!, T? b = default, int c = 2) => a;
                [Submittable] public static T Class<T>(T a = default!) where T : class => a;
                [Submittable] public static T? Struct<T>(T? a = null, T b = default) where T : struct => a;
            }
            """,

        // ---- Declarations. ----
        ["PartialMethods"] = """
            namespace N;
            public static partial class Parts
            {
                /// <summary>Adds.</summary>
                [Submittable] public static partial int Impl(int x, int y = 5);
                public static partial int Impl(int x, int y) => x + y;

                public static partial int Late(int x);
                /// <summary>Attributed on the implementation.</summary>
                [Submittable] public static partial int Late(int x) => x;
            }
            """,
        ["Records"] = """
            namespace N;
            public readonly record struct Money(decimal Amount)
            {
                [Submittable] public Money Add(decimal more) => new(Amount + more);
                [Submittable] public static Money Zero() => new(0);
            }
            public record Order(int Id)
            {
                [Submittable] public Order With(int id) => this with { Id = id };
            }
            public record struct Mutable(int X)
            {
                [Submittable] public int Get() => X;
            }
            """,
        ["ExtensionMethods"] = """
            namespace N;
            public static class Extensions
            {
                [Submittable] public static int Twice(this int x) => x * 2;
                [Submittable] public static T Echo<T>(this T value) => value;
                [Submittable] public static string Join(this string[] parts, string separator = ",") => string.Join(separator, parts);
            }
            """,
        ["NestedGenericContainers"] = """
            namespace N;
            public static class Outer<T>
            {
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
            public class Box<T>
            {
                public class Nested { [Submittable] public int Run(int x) => x; }
            }
            public static class Plain
            {
                public static class Generic<U> { [Submittable] public static int Run(int x) => x; }
            }
            """,
        ["FileLocalTypes"] = """
            namespace N;
            file static class Hidden { [Submittable] public static int Run(int x) => x; }
            file static class Outer
            {
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
            public static class Visible { [Submittable] public static int Run(string x) => 0; }
            """,
        ["ConstraintsOfEveryKind"] = """
            namespace N;
            public static class Constrained
            {
                [Submittable] public static T Unmanaged<T>(T x) where T : unmanaged => x;
                [Submittable] public static T Struct<T>(T x) where T : struct, System.IComparable<T> => x;
                [Submittable] public static T? NullableClass<T>(T? x) where T : class? => x;
                [Submittable] public static T NotNull<T>(T x) where T : notnull => x;
                [Submittable] public static T Enum<T>(T x) where T : System.Enum => x;
                [Submittable] public static T Delegate<T>(T x) where T : System.Delegate => x;
                [Submittable] public static T New<T>(T x) where T : new() => x;
                [Submittable] public static U Chained<T, U>(T x, U y) where U : T => y;
                [Submittable] public static T? Unconstrained<T>(T? x) => x;
            }
            """,
        ["OddMethods"] = """
            using System.Threading;
            using System.Threading.Tasks;
            namespace N;
            public static class Odd
            {
                [Submittable] [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getpid")] public static extern int Pid();
                [Submittable] [System.Diagnostics.Conditional("DEBUG")] public static void OnlyInDebug(string message) { }
                [Submittable] public static Task<int> TwoTokens(CancellationToken first, int x, CancellationToken second) => Task.FromResult(x);
                [Submittable] public static int TakesAFuture(Future<int> f, Future untyped) => 0;
                [Submittable] public static dynamic Dynamic(dynamic d) => d;
                [Submittable] public static (int Sum, string Text) Tuple((int A, string B) input) => (input.A, input.B);
                [Submittable] public static unsafe int UnsafeButNoPointers(int x) => x;
                [Submittable] public static ValueTask NothingAsync() => default;
            }
            public interface IHost
            {
                public static class Jobs { [Submittable] public static int Run(int x) => x; }
            }
            public class Base
            {
                [Submittable] public virtual int Scale(int x) => x;
            }
            public class Derived : Base
            {
                [Submittable] public override int Scale(int x) => 2 * x;
            }
            """,
    };
}
