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
/// Drives one generator (<see cref="GeneratorSubject"/>: Pipelines, an anchor, or the floor) with
/// <see cref="CSharpGeneratorDriver"/> over a compilation of many attributed methods, then again after edits that
/// touch no attributed signature. Timed runs are untracked, as the compiler and the IDE run generators; a tracked
/// driver is used only to report how each step ended.
/// </summary>
public sealed class GeneratorRun
{
    private const int MethodsPerFile = 50;

    internal static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    private readonly GeneratorSubject _subject;
    private readonly string _salt;

    private GeneratorRun(GeneratorSubject subject, CSharpCompilation compilation, int methods, string salt)
    {
        _subject = subject;
        _salt = salt;
        Compilation = compilation;
        Methods = methods;
    }

    public CSharpCompilation Compilation { get; }

    public int Methods { get; }

    /// <summary>A compilation of <paramref name="methods"/> attributed methods in files of 50, plus one file without any.</summary>
    public static GeneratorRun Create(GeneratorSubject subject, int methods, string salt = "")
    {
        var trees = new List<SyntaxTree>();
        for (int file = 0; file * MethodsPerFile < methods; file++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(subject.File(file, Math.Min(MethodsPerFile, methods - (file * MethodsPerFile)), 0, salt), ParseOptions, path: $"Jobs{file}.cs"));
        }

        trees.Add(CSharpSyntaxTree.ParseText(UnrelatedFile(0), ParseOptions, path: "Unrelated.cs"));
        var compilation = CSharpCompilation.Create(
            "GeneratorBenchmark" + subject.Name + salt,
            trees,
            s_references.Value.AddRange(subject.References),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new GeneratorRun(subject, compilation, methods, salt);
    }

    /// <summary>A driver for the subject; <paramref name="tracked"/> only to read step reasons, never for timing.</summary>
    public GeneratorDriver CreateDriver(bool tracked = false) =>
        CSharpGeneratorDriver.Create(
            new[] { _subject.CreateGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: tracked));

    /// <summary>The compilation with the unrelated file's method body changed.</summary>
    public CSharpCompilation WithUnrelatedEdit(int variant)
    {
        SyntaxTree old = Compilation.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        return Compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(UnrelatedFile(variant), ParseOptions, path: "Unrelated.cs"));
    }

    /// <summary>The compilation with the bodies (not the signatures) of the methods in one attributed file changed.</summary>
    public CSharpCompilation WithBodyEdit(int variant)
    {
        SyntaxTree old = Compilation.SyntaxTrees.Single(t => t.FilePath == "Jobs0.cs");
        return Compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(_subject.File(0, Math.Min(MethodsPerFile, Methods), variant, _salt), ParseOptions, path: "Jobs0.cs"));
    }

    /// <summary>Runs the driver, timing only <c>RunGenerators</c>, then checks the output.</summary>
    public GeneratorDriver Run(GeneratorDriver driver, Compilation compilation, out double milliseconds)
    {
        long start = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(compilation);
        milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        GeneratorDriverRunResult result = driver.GetRunResult();
        Diagnostic? error = result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null)
        {
            throw new InvalidOperationException($"The {_subject.Name} generator reported an error: {error}");
        }

        _subject.Check(result, Methods);
        return driver;
    }

    /// <summary>
    /// How the generator's own steps and outputs ended in the last (tracked) run: whether every one was reused
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

    internal static int CountOccurrences(string text, string pattern)
    {
        int count = 0;
        for (int i = text.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pattern, i + pattern.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string UnrelatedFile(int variant) =>
        $"namespace Bench;\n\npublic static class Unrelated\n{{\n    public static int Answer() => {variant};\n}}\n";

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
        var paths = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>
/// One generator under measurement: how to write a file of <c>count</c> attributed methods (with a body variant for
/// body edits), what the compilation references, how to make the generator and how to check its output.
/// </summary>
public sealed record GeneratorSubject(
    string Name,
    Func<int, int, int, string, string> File,
    ImmutableArray<MetadataReference> References,
    Func<ISourceGenerator> CreateGenerator,
    Action<GeneratorDriverRunResult, int> Check)
{
    /// <summary>Pipelines' [Submittable] generator, over the five method shapes users write most.</summary>
    public static GeneratorSubject Pipelines { get; } = new(
        "Pipelines",
        PipelinesFile,
        ImmutableArray.Create<MetadataReference>(MetadataReference.CreateFromFile(typeof(Future).Assembly.Location)),
        () => new SubmittableGenerator().AsSourceGenerator(),
        static (result, methods) =>
        {
            string all = string.Concat(result.GeneratedTrees.Select(t => t.ToString()));
            int submits = GeneratorRun.CountOccurrences(all, "public static global::Pipelines.Future");
            if (submits < methods)
            {
                throw new InvalidOperationException($"The generator produced {submits} stubs for {methods} methods.");
            }
        });

    /// <summary>The floor: ForAttributeWithMetadataName on [Submittable] with a transform that reads only the name.</summary>
    public static GeneratorSubject Floor { get; } = Pipelines with
    {
        Name = "floor",
        CreateGenerator = () => new FloorGenerator().AsSourceGenerator(),
        Check = static (result, _) =>
        {
            if (result.GeneratedTrees.Length != 1)
            {
                throw new InvalidOperationException("The floor generator produced no output.");
            }
        },
    };

    private static string PipelinesFile(int file, int count, int bodyVariant, string salt)
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
}
