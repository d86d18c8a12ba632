using System.IO;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>
/// PIPE0101–PIPE0106, the rules on a [Submittable] method's signature. They live with the generator's tests, not the
/// other analyzers': the rules (<c>SubmittableRules</c>) decide what the generator emits, so each case checks both the
/// diagnostics and that the generator emits no stubs for a method it rejects.
/// </summary>
public class SubmittableSignatureAnalyzerTests
{
    [Fact]
    public Task ByReferenceParameters() => Verify("""
        public static class C
        {
            [{|PIPE0101:Submittable|}] public static int WithRef(ref int x) => x;
            [{|PIPE0101:Submittable|}] public static void WithOut(out int x) => x = 1;
            [{|PIPE0101:Submittable|}] public static int WithIn(in int x) => x;
            [{|PIPE0101:Submittable|}] public static ref int RefReturn(int[] x) => ref x[0];
        }
        """);

    [Fact]
    public Task RefStructsAndPointers() => Verify("""
        public static unsafe class C
        {
            [{|PIPE0102:Submittable|}] public static int Span(System.Span<int> x) => 0;
            [{|PIPE0102:Submittable|}] public static int Pointer(int* x) => 0;
            [{|PIPE0102:Submittable|}] public static System.ReadOnlySpan<char> Returns() => default;
        }
        """, allowUnsafe: true);

    [Fact]
    public Task RefStructInstancesPointerArraysAndArglist() => Verify("""
        public ref struct Cursor
        {
            public int Position;
            [{|PIPE0102:Submittable|}] public int Peek(int offset) => Position + offset;
            [Submittable] public static int Static(int x) => x;
        }
        public static unsafe class Native
        {
            [{|PIPE0102:Submittable|}] public static int Pointers(int*[] values) => values.Length;
            [{|PIPE0102:Submittable|}] public static int Functions(System.Collections.Generic.List<delegate*<int, int>[]> functions) => functions.Count;
            [{|PIPE0102:Submittable|}] public static int*[] Returned(int n) => new int*[n];
            [{|PIPE0106:Submittable|}] public static int Varargs(int x, __arglist) => x;
        }
        """, allowUnsafe: true);

    [Fact]
    public Task GeneratedNamesTheUsersCodeAlreadyHas() => Verify("""
        namespace N
        {
            public static class Jobs { [{|PIPE0104:Submittable|}] public static int Run(int x) => x; }
            public class JobsStubs { }
            public static class Other { [{|PIPE0104:Submittable|}] public static int Run(string x) => 0; }
            public static class SubmitX { [{|PIPE0104:Submittable|}] public static int XStubs(int a) => a; }
            public static class Fine { [Submittable] public static int Run(long x) => 0; }
        }
        namespace N.OtherStubs
        {
            public class Unrelated { }
        }
        """);

    [Fact]
    public Task InaccessibleMethodsAndTypes() => Verify("""
        public static class C
        {
            [{|PIPE0103:Submittable|}] private static int Private(int x) => x;
            private static class Hidden
            {
                [{|PIPE0103:Submittable|}] public static int InHidden(int x) => x;
            }
        }
        public class D
        {
            [{|PIPE0103:Submittable|}] private protected static int PrivateProtected(int x) => x;
            [{|PIPE0103:Submittable|}] protected static int Protected(int x) => x;
        }
        """);

    [Fact]
    public Task NegativeRetriesAndTimeouts() => Verify("""
        public static class C
        {
            [{|PIPE0106:Submittable(Retries = -1)|}] public static int NegativeRetries(int x) => x;
            [{|PIPE0106:Submittable(TimeoutMilliseconds = -5)|}] public static int NegativeTimeout(int x) => x;
            [Submittable(Retries = 0, TimeoutMilliseconds = 0)] public static int Defaults(int x) => x;
            [Submittable(Retries = 3, TimeoutMilliseconds = 250)] public static int Set(int x) => x;
        }
        """);

    [Fact]
    public Task RetryOnListsAccessibleClosedExceptionTypesAndNeedsRetries() => Verify("""
        public static class C
        {
            [Submittable(Retries = 2, RetryOn = new[] { typeof(System.IO.IOException), typeof(Transient) })] public static int Fine(int x) => x;
            [{|PIPE0106:Submittable(RetryOn = new[] { typeof(System.IO.IOException) })|}] public static int WithoutRetries(int x) => x;
            [{|PIPE0106:Submittable(Retries = 2, RetryOn = new[] { typeof(string) })|}] public static int NotAnException(int x) => x;
            [{|PIPE0106:Submittable(Retries = 2, RetryOn = new System.Type[] { null })|}] public static int Null(int x) => x;
            [{|PIPE0106:Submittable(Retries = 2, RetryOn = new[] { typeof(Generic<>) })|}] public static int Open(int x) => x;
            [{|PIPE0106:Submittable(Retries = 2, RetryOn = new[] { typeof(System.Threading.Tasks.TaskCanceledException) })|}] public static int Cancellation(int x) => x;
            [{|PIPE0106:Submittable(Retries = 2, RetryOn = new[] { typeof(Hidden) })|}] public static int Private(int x) => x;
            private sealed class Hidden : System.Exception { }
        }
        public sealed class Transient : System.Exception { }
        public sealed class Generic<T> : System.Exception { }
        """);

    [Fact]
    public Task LabelTemplatesAreCheckedAgainstTheParameters() => Verify("""
        public static class C
        {
            [{|PIPE0106:Submittable(Label = "{url}")|}] public static int NoSuchParameter(string path) => 0;
            [{|PIPE0106:Submittable(Label = "{ct}")|}] public static int Token(string path, System.Threading.CancellationToken ct) => 0;
            [{|PIPE0106:Submittable(Label = "page {path")|}] public static int Unclosed(string path) => 0;
            [{|PIPE0106:Submittable(Label = "page }")|}] public static int StrayBrace(string path) => 0;
            [{|PIPE0106:Submittable(Label = "{}")|}] public static int Empty(string path) => 0;
            [Submittable(Label = "{path}")] public static int Path(string path) => 0;
            [Submittable(Label = "{{{page}}} of {site}")] public static int Braces(int page, string site) => 0;
            [Submittable(Label = "constant")] public static int Constant() => 0;
        }
        """);

    [Fact]
    public Task StubCollisionsInOneNamespace() => Verify("""
        namespace Demo
        {
            public static class A { [Submittable] public static int {|PIPE0104:Run|}(int x) => x; }
            public static class B { [Submittable] public static int {|PIPE0104:Run|}(int y) => y; }
            public static class C { [Submittable(Name = "Run")] public static int {|PIPE0104:Other|}(int z) => z; }
            public static class D { [Submittable] public static int Run(long overloadIsFine) => 0; }
        }
        namespace Elsewhere
        {
            public static class A { [Submittable] public static int Run(int x) => x; }
        }
        """);

    [Fact]
    public Task APartialMethodIsOneMethodNotACollisionWithItself() => Verify("""
        public static partial class Parts
        {
            [Submittable] public static partial int Impl(int x, int y = 5);
            public static partial int Impl(int x, int y) => x + y;

            public static partial int Other(int x);
            [Submittable] public static partial int Other(int x) => x;

            [{|PIPE0101:Submittable|}] public static partial int ByRef(ref int x);
            public static partial int ByRef(ref int x) => x;
        }
        """);

    [Fact]
    public Task AsyncVoid() => Verify("""
        public static class C
        {
            [{|PIPE0105:Submittable|}] public static async void Fire(int x) => await System.Threading.Tasks.Task.Yield();
        }
        """);

    [Fact]
    public Task UnsupportedDeclarations() => Verify("""
        public static class Generic<T>
        {
            [{|PIPE0106:Submittable|}] public static int M(int x) => x;
        }
        public static class C
        {
            [{|PIPE0106:Submittable(Name = "not valid")|}] public static int BadName(int x) => x;
            public static void Outer()
            {
                [{|PIPE0106:Submittable|}] static int Local(int x) => x;
                Local(1);
            }
        }
        """);

    [Fact]
    public Task QuietOnSupportedMethods() => Verify("""
        using System.Threading;
        using System.Threading.Tasks;
        public static class C
        {
            [Submittable] public static int Add(int a, int b) => a + b;
            [Submittable] internal static Task<int> Async(int a, CancellationToken ct) => Task.FromResult(a);
            [Submittable] public static async Task Fire() => await Task.Yield();
            [Submittable] public static T Id<T>(T value) => value;
        }
        public class Instance
        {
            [Submittable] public int Scale(int x) => x;
            internal static class Nested { [Submittable] public static int M(System.ReadOnlyMemory<int> x) => 0; }
        }
        """);

    private static Task Verify(string source, bool allowUnsafe = false)
    {
        var test = new CSharpAnalyzerTest<SubmittableSignatureAnalyzer, DefaultVerifier>
        {
            TestCode = "using Pipelines;\n" + source,
            // Offline: no reference-assembly download; compile against the running framework and the runtime.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0-local"),

            // PIPE0104 has a second descriptor, for generated names the user's code already has.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.AddRange(TestCompilation.References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)project.CompilationOptions!;
            return solution
                .WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(allowUnsafe))
                .WithProjectParseOptions(projectId, TestCompilation.ParseOptions);
        });
        return RunThenGenerate(test, source, allowUnsafe);
    }

    /// <summary>After the markup check, the same code through the real generator: whatever it skips, what it emits compiles.</summary>
    private static async Task RunThenGenerate(CSharpAnalyzerTest<SubmittableSignatureAnalyzer, DefaultVerifier> test, string source, bool allowUnsafe)
    {
        await test.RunAsync(TestContext.Current.CancellationToken);
        string plain = System.Text.RegularExpressions.Regex.Replace(source, @"\{\|PIPE\d{4}:(.*?)\|\}", "$1");
        var compilation = TestCompilation.Create("using Pipelines;\n" + plain);
        compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(allowUnsafe));
        var output = TestCompilation.RunGenerator(compilation).Output;
        Assert.DoesNotContain(
            output.GetDiagnostics(TestContext.Current.CancellationToken),
            d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
    }
}
