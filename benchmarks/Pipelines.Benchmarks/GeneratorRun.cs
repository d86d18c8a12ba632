using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generator;

namespace Pipelines.Benchmarks;

/// <summary>
/// Drives <see cref="SubmittableGenerator"/> with <see cref="CSharpGeneratorDriver"/> over a compilation of many
/// [Submittable] methods, then again after edits that touch no [Submittable] signature.
/// </summary>
public sealed class GeneratorRun
{
    private const int MethodsPerFile = 50;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    private readonly string _salt;

    private GeneratorRun(CSharpCompilation compilation, int methods, string salt)
    {
        _salt = salt;
        Compilation = compilation;
        Methods = methods;
    }

    public CSharpCompilation Compilation { get; }

    public int Methods { get; }

    /// <summary>A compilation of <paramref name="methods"/> [Submittable] methods in files of 50, plus one file without any.</summary>
    public static GeneratorRun Create(int methods, string salt = "")
    {
        var trees = new List<SyntaxTree>();
        for (int file = 0; file * MethodsPerFile < methods; file++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(JobsFile(file, Math.Min(MethodsPerFile, methods - (file * MethodsPerFile)), bodyVariant: 0, salt), s_parseOptions, path: $"Jobs{file}.cs"));
        }

        trees.Add(CSharpSyntaxTree.ParseText(UnrelatedFile(0), s_parseOptions, path: "Unrelated.cs"));
        var compilation = CSharpCompilation.Create(
            "GeneratorBenchmark" + salt,
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new GeneratorRun(compilation, methods, salt);
    }

    public static GeneratorDriver CreateDriver(bool floor = false) =>
        CSharpGeneratorDriver.Create(
            new[] { floor ? new FloorGenerator().AsSourceGenerator() : new SubmittableGenerator().AsSourceGenerator() },
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The compilation with the unrelated file's method body changed.</summary>
    public CSharpCompilation WithUnrelatedEdit(int variant)
    {
        SyntaxTree old = Compilation.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        return Compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(UnrelatedFile(variant), s_parseOptions, path: "Unrelated.cs"));
    }

    /// <summary>The compilation with the bodies (not the signatures) of the [Submittable] methods in one file changed.</summary>
    public CSharpCompilation WithBodyEdit(int variant)
    {
        SyntaxTree old = Compilation.SyntaxTrees.Single(t => t.FilePath == "Jobs0.cs");
        return Compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(JobsFile(0, Math.Min(MethodsPerFile, Methods), variant, _salt), s_parseOptions, path: "Jobs0.cs"));
    }

    /// <summary>Runs the driver and checks the output: one stub per method, no error.</summary>
    public static GeneratorDriver Run(GeneratorDriver driver, Compilation compilation, int expectedMethods) =>
        Run(driver, compilation, expectedMethods, out _);

    /// <summary>Runs the driver, timing only <c>RunGenerators</c>, then checks the output.</summary>
    public static GeneratorDriver Run(GeneratorDriver driver, Compilation compilation, int expectedMethods, out double milliseconds)
    {
        long start = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(compilation);
        milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        GeneratorDriverRunResult result = driver.GetRunResult();
        Diagnostic? error = result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null)
        {
            throw new InvalidOperationException($"The generator reported an error: {error}");
        }

        string all = string.Concat(result.GeneratedTrees.Select(t => t.ToString()));
        int submits = CountOccurrences(all, "public static global::Pipelines.Future<");
        if (submits < expectedMethods)
        {
            throw new InvalidOperationException($"The generator produced {submits} stubs for {expectedMethods} methods.");
        }

        return driver;
    }

    /// <summary>
    /// How the generator's own steps and outputs ended in the last run: whether every one was reused
    /// (Cached/Unchanged), counts per reason, and separately what Roslyn's internal steps did (the compilation and
    /// ForAttributeWithMetadataName's per-file grouping are always re-evaluated when the compilation changes).
    /// </summary>
    public static (bool AllReused, string Summary) StepReasons(GeneratorDriver driver)
    {
        GeneratorRunResult run = driver.GetRunResult().Results[0];
        var own = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var roslyn = new SortedDictionary<string, int>(StringComparer.Ordinal);
        bool allReused = true;
        foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> step in run.TrackedSteps.Concat(run.TrackedOutputSteps))
        {
            bool internalStep = step.Key == "Compilation" || step.Key.Contains("_ForAttribute", StringComparison.Ordinal);
            foreach (IncrementalGeneratorRunStep runStep in step.Value)
            {
                foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                {
                    bool reused = reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;
                    string key = reused ? reason.ToString() : $"{reason} in {step.Key}";
                    SortedDictionary<string, int> counts = internalStep ? roslyn : own;
                    counts[key] = counts.TryGetValue(key, out int c) ? c + 1 : 1;
                    allReused &= reused || internalStep;
                }
            }
        }

        static string Format(SortedDictionary<string, int> counts) => string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"));
        return (allReused, $"generator steps: {Format(own)}; Roslyn-internal: {Format(roslyn)}");
    }

    /// <summary>Builds what the compiler builds anyway before generators run in an IDE (symbols, bound attributes), so a timing shows the generator's own share.</summary>
    public static T Warmed<T>(T compilation)
        where T : Compilation
    {
        compilation.GetDeclarationDiagnostics();
        return compilation;
    }

    private static int CountOccurrences(string text, string pattern)
    {
        int count = 0;
        for (int i = text.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pattern, i + pattern.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string JobsFile(int file, int count, int bodyVariant, string salt)
    {
        var text = new StringBuilder();
        text.Append("using System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Pipelines;\n\n");
        text.Append($"namespace Bench{salt}.Area{file % 4};\n\n");
        text.Append($"public static partial class Jobs{file}\n{{\n");
        for (int m = 0; m < count; m++)
        {
            string name = $"Work{file}_{m}";
            text.Append("    /// <summary>A method with a doc comment.</summary>\n");
            text.Append("    [Submittable]\n");
            text.Append((m % 5) switch
            {
                0 => $"    public static int {name}(int a, int b) => a + b + {bodyVariant};\n",
                1 => $"    public static string {name}(string? text, double scale = 1.5) => (text ?? \"\") + scale + {bodyVariant};\n",
                2 => $"    public static async Task<long> {name}(long value, CancellationToken cancellationToken) {{ await Task.Yield(); return value + {bodyVariant}; }}\n",
                3 => $"    public static List<T> {name}<T>(T item, int count) where T : notnull {{ var list = new List<T>(); for (int i = 0; i < count + {bodyVariant}; i++) list.Add(item); return list; }}\n",
                _ => $"    public static void {name}(int[] values) {{ values[0] = {bodyVariant}; }}\n",
            });
            text.Append('\n');
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string UnrelatedFile(int variant) =>
        $"namespace Bench;\n\npublic static class Unrelated\n{{\n    public static int Answer() => {variant};\n}}\n";

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
        var paths = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Future).Assembly.Location)
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
