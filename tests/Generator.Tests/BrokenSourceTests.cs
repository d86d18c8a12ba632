using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Tests.Corpus;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>Half-typed and adversarial code never crashes the generator or the analyzer, and never yields broken output.</summary>
public class BrokenSourceTests
{
    /// <summary>Broken sources, then the unusual but legal ones of <see cref="OddSources"/>.</summary>
    public static TheoryData<string> Corpus => new(BrokenSources.Concat(OddSources.All.Values.Select(source => "using Pipelines;\n" + source)));

    private static readonly string[] BrokenSources =
    {
        "using Pipelines; public static class C { [Submittable] public static int M(Missing x) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static Missing M(int x) => default; }",
        "using Pipelines; public static class C { [Submittable] public static int M(int x, List<Nope> y) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M(int x",
        "using Pipelines; public static class C { [Submittable] public static int M(int x) => ",
        "using Pipelines; public static class C { [Submittable] public static int (int x) => 0; }",
        "using Pipelines; public static class C { [Submittable] [Submittable] public static int M(int x) => x; }",
        "using Pipelines; public static class C { [Submittable(Name = \"\")] public static int M(int x) => x; }",
        "using Pipelines; public static class C { [Submittable(Name = \"1bad\")] public static int M(int x) => x; }",
        "using Pipelines; public static class C { [Submittable(Name = null)] public static int M(int x) => x; }",
        "using Pipelines; public static class C { public static void Outer() { [Submittable] static int Local(int x) => x; } }",
        "using Pipelines; public static class C { public static void Outer() { var f = [Submittable] (int x) => x; } }",
        "using Pipelines; public static class C<T> { [Submittable] public static int M(T x) => 0; }",
        "using Pipelines; public interface I { [Submittable] static int M(int x) => x; }",
        "using Pipelines; public class C { [Submittable] public int P { get; set; } }",
        "using Pipelines; public class C { public int P { [Submittable] get => 1; } }",
        "using Pipelines; public class C { [Submittable] public static C operator +(C a, C b) => a; }",
        "using Pipelines; public static class C { [Submittable] static int Private(int x) => x; }",
        "using Pipelines; file static class C { [Submittable] public static int M(int x) => x; }",
        "using Pipelines; public static class C { [Submittable] public static int M(ref int x) => x; }",
        "using Pipelines; public static class C { [Submittable] public static int M(System.Span<int> x) => 0; }",
        "using Pipelines; public static unsafe class C { [Submittable] public static int M(int* x) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static async void M(int x) { } }",
        "using Pipelines; public static class C { [Submittable] public static ref int M(int[] x) => ref x[0]; }",
        "using Pipelines; public static class C { [Submittable] public static int M(" + string.Join(", ", Enumerable.Range(0, 300).Select(i => $"int p{i}")) + ") => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int Größe(int ähnlich, string 名前) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int @class(int @int, string @this, object @executor) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M(int executor, int source, int executor1) => 0; }",
        "using Pipelines; " + string.Concat(Enumerable.Range(0, 30).Select(i => $"public class N{i} {{ ")) + "[Submittable] public static int Deep(int x) => x; " + new string('}', 30),
        "using Pipelines; public static class C { [Submittable] public static T M<T, U, V, W, X>(T a, U b, V c, W d, X e) => a; }",
        "using Pipelines; public static class C { [Submittable] public static int M(System.Collections.Generic.IList<int> a, System.IDisposable b, System.IComparable c, System.IFormattable d, System.ICloneable e, System.IConvertible f) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M(dynamic d) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static void M() { } }",
        "using Pipelines; namespace A { public static class C { [Submittable] public static int M(int x) => x; } public static class D { [Submittable] public static int M(int y) => y; } }",
        "using Pipelines; public static class C { [Submittable] public static int M(int x = 1, int? y = null, string z = \"\\\"q\\\"\\n\", char c = '\\'', float f = float.NaN, decimal m = 1.5m, long l = long.MinValue) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M(System.DateTime d = default, System.Threading.CancellationToken ct = default) => 0; }",
        "using Pipelines; public record R(int X) { [Submittable] public int M(int target) => X + target; }",
        "using Pipelines; public readonly struct S { [Submittable] public int M() => 1; }",
        "using Pipelines; public abstract class A { [Submittable] public abstract int M(int x); }",
        "using Pipelines; public static class C { /// <summary>Unclosed <b> tag</summary>\n [Submittable] public static int M(int x) => x; }",
        "using Pipelines; public static class C { /// <param name=\"nope\">Wrong name.</param>\n [Submittable] public static int M(int x) => x; }",
        "using Pipelines; public static partial class C { [Submittable] public static partial int M(int x); }",
        "[Pipelines.Submittable] public static int TopLevel(int x) => x;",
        "using Pipelines; public static class C { [Submittable] public static int M(Future<int> f) { lock (f) { return f.GetResult(; } } }",
        "using Pipelines; public static class C { public static void M(IExecutor e) { e.Submit(() => e.Submit(() => 1).GetResult()); e.Submit(); e.Submit(null!); e.Shutdown(wait: ); } }",
        "using Pipelines; public static class C { public static void M(Future<int> f) { f.OnDone(g => f.Wait()); f.OnDone(); f.OnDone(Missing); } }",
        "using Pipelines; public static class C { public static void M(IExecutor e) { e.Map(x => x.GetResult(), new Future<int>[0]); Futures.Wait(); Futures.Wait(null!, (ReturnWhen)99); } }",
        "using Pipelines; public static class Jobs { [Submittable] public static int Foo(int x) => x; [Submittable] public static int foo(int x",
        "using Pipelines; public static class C { [Submittable] public static int M([System.Runtime.CompilerServices.CallerMemberName] string m) => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M([System.Runtime.CompilerServices.CallerArgumentExpression(\"nope\")] string m = \"\") => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M(params int[] a, int b) => 0; }",
        "using Pipelines; public static class C { [System.Obsolete(\"x\", true)] [Submittable] public static int M(int x) => M(x); }",
        "using Pipelines; public static class C { [Submittable] public static int M(int x = \"text\") => 0; }",
        "using Pipelines; public static class C { [Submittable] public static int M<T>(T x = 5) => 0; }",
        "using Pipelines; public class JobsStubs { } public static class Jobs { [Submittable] public static int M(int x) => x; } public static class Jobs { }",
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task NeverCrashesAndNeverEmitsBrokenCode(string source)
    {
        CSharpCompilation compilation = TestCompilation.Create(new[] { source }, TestCompilation.ParseOptions.WithLanguageVersion(LanguageVersion.Preview))
            .WithOptions(TestCompilation.Create().Options.WithAllowUnsafe(true));
        (GeneratorDriver driver, Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) = TestCompilation.RunGenerator(compilation);

        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id is "CS8785" or "AD0001");

        // Whatever the user's own errors, none may come from generated files.
        Diagnostic[] generatedErrors = output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToArray();
        Assert.True(generatedErrors.Length == 0, "Source:\n" + source + "\nErrors:\n" + string.Join("\n", generatedErrors.Select(d => d.ToString())) + "\n" + string.Join("\n", result.GeneratedTrees.Select(t => t.ToString())));

        ImmutableArray<Diagnostic> analyzerDiagnostics = await output
            .WithAnalyzers(AllAnalyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false))
            .GetAllDiagnosticsAsync(TestContext.Current.CancellationToken);
        Assert.True(!analyzerDiagnostics.Any(d => d.Id == "AD0001"), "An analyzer threw on:\n" + source + "\n" + string.Join("\n", analyzerDiagnostics.Where(d => d.Id == "AD0001")));
    }

    /// <summary>Every analyzer the package ships: the corpus must not crash any of them.</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = typeof(SubmittableSignatureAnalyzer).Assembly
        .GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    [Fact]
    public void TheCorpusRunsEveryShippedAnalyzer() => Assert.True(AllAnalyzers.Length >= 6, $"found {AllAnalyzers.Length} analyzers");

    [Fact]
    public async Task RandomMutationsOfValidSourceNeverCrash()
    {
        const string valid = """
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;
            using Pipelines;
            namespace Demo;
            public static partial class Jobs
            {
                /// <summary>Adds <paramref name="a"/>.</summary>
                [Submittable] public static int Add(int a, int b = 2) => a + b;
                [Submittable] public static Task<string> Read(string path, CancellationToken ct) => Task.FromResult(path);
                [Submittable] public static T Id<T>(T value, T other = default!) where T : notnull => value;
                [Submittable] public static int add(params long[] values) => 0;
                [Submittable] public static string Where([CallerMemberName] string member = "", [CallerLineNumber] int line = 0) => member;
                [System.Obsolete("Old.")] [Submittable] public static partial int @class(int @int);
                public static partial int @class(int @int) => @int;
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
            public static class Jobs_Inner { [Submittable] public static int Run(string x) => 0; }
            """;

        // Bounded fuzzing: deterministic seed, fixed budget; raise PIPELINES_FUZZ_ITERATIONS for a longer soak by hand.
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("PIPELINES_FUZZ_ITERATIONS"), out int n) ? n : 150;
        var random = new Random(20261122);
        string[] fragments = { "(", ")", "{", "}", "<", ">", ",", ";", "ref ", "out ", "[Submittable]", "int", "T", "static ", "async ", "\"", "/// <see cref=\"x\"/>", "?", "=", "default", " " };
        for (int i = 0; i < iterations; i++)
        {
            char[] chars = valid.ToCharArray();
            var text = new System.Text.StringBuilder(valid);
            for (int edit = random.Next(1, 4); edit > 0; edit--)
            {
                int at = random.Next(text.Length);
                if (random.Next(2) == 0)
                {
                    text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at));
                }
                else
                {
                    text.Insert(at, fragments[random.Next(fragments.Length)]);
                }
            }

            await NeverCrashesAndNeverEmitsBrokenCode(text.ToString());
        }
    }
}
