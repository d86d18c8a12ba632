using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Pipelines.Analyzers.Tests.Corpus;
using Pipelines.Analyzers.Tests.Verifiers;
using Pipelines.CodeFixes;
using Pipelines.Generator;
using Pipelines.Generator.Analyzers;
using Xunit;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// No code fix turns a working program into a broken one: every fix of every fixable rule, applied by Fix All to the
/// <see cref="RunnablePrograms"/>, leaves a program that compiles (with the generator's stubs) and returns what it
/// returned before.
/// </summary>
public class FixedProgramTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private static readonly (DiagnosticAnalyzer Analyzer, CodeFixProvider Provider)[] Rules =
    {
        (new PIPE0001BlockingWaitInExecutorWorkAnalyzer(), new PIPE0001BlockingWaitCodeFixProvider()),
        (new PIPE0003BlockingResultAsStubArgumentAnalyzer(), new PIPE0003PassFutureCodeFixProvider()),
        (new PIPE0100DiscardedFutureAnalyzer(), new PIPE0100DiscardedFutureCodeFixProvider()),
    };

    /// <summary>Every (rule, fix) the providers can offer, each of which the corpus must exercise.</summary>
    private static readonly string[] EveryFix = { "PIPE0001", "PIPE0003", PIPE0100DiscardedFutureCodeFixProvider.DiscardKey, PIPE0100DiscardedFutureCodeFixProvider.AwaitKey };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string program in RunnablePrograms.All.Keys)
        {
            foreach ((DiagnosticAnalyzer _, CodeFixProvider provider) in Rules)
            {
                cases.Add(program, provider.FixableDiagnosticIds.Single());
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryFixLeavesAProgramThatCompilesAndReturnsWhatItDid(string program, string rule)
    {
        (DiagnosticAnalyzer analyzer, CodeFixProvider provider) = Rules.Single(r => r.Provider.FixableDiagnosticIds.Single() == rule);
        string source = RunnablePrograms.All[program];
        string[] generated = Generate(source);
        string expected = await RunAsync(source, generated);

        foreach (string key in await OfferedKeysAsync(analyzer, provider, source, generated))
        {
            string[] texts = await FixAllRunner.RunChosenAsync(analyzer, provider, key, new[] { source }.Concat(generated).ToArray());
            Assert.NotEqual(source, texts[0]);
            Assert.Equal(generated, texts.Skip(1));
            Assert.True(expected == await RunAsync(texts[0], generated), $"Fix All with '{key}' changed what {program} returns:\n{texts[0]}");
        }
    }

    [Fact]
    public async Task TheProgramsExerciseEveryFix()
    {
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        foreach (string source in RunnablePrograms.All.Values)
        {
            string[] generated = Generate(source);
            foreach ((DiagnosticAnalyzer analyzer, CodeFixProvider provider) in Rules)
            {
                exercised.UnionWith(await OfferedKeysAsync(analyzer, provider, source, generated));
            }
        }

        Assert.Equal(EveryFix.OrderBy(k => k, StringComparer.Ordinal), exercised.OrderBy(k => k, StringComparer.Ordinal));
    }

    /// <summary>The generator's files for <paramref name="source"/>, as plain sources to compile beside it.</summary>
    private static string[] Generate(string source)
    {
        CSharpCompilation compilation = Compile(new[] { source });
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new SubmittableGenerator())
            .RunGenerators(compilation, TestContext.Current.CancellationToken);
        return driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToArray();
    }

    /// <summary>The equivalence keys of the fixes <paramref name="provider"/> offers anywhere in the program.</summary>
    private static async Task<IReadOnlyCollection<string>> OfferedKeysAsync(DiagnosticAnalyzer analyzer, CodeFixProvider provider, string source, string[] generated)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject("Program", "Program", LanguageNames.CSharp)
            .WithCompilationOptions(Compile(Array.Empty<string>()).Options)
            .WithParseOptions(ParseOptions)
            .AddMetadataReferences(TestReferences.Framework.Add(TestReferences.Pipelines));
        Document document = project.AddDocument("Program.cs", source);
        project = document.Project;
        foreach (string text in generated)
        {
            project = project.AddDocument($"Generated{project.DocumentIds.Count}.g.cs", text).Project;
        }

        Compilation compilation = (await project.GetCompilationAsync(cancellationToken))!;
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (Diagnostic diagnostic in diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)))
        {
            Document at = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(at, diagnostic, (action, _) => actions.Add(action), cancellationToken));
            keys.UnionWith(actions.Select(a => a.EquivalenceKey!));
        }

        return keys;
    }

    /// <summary>Compiles the program with the generated stubs (no errors allowed), loads it and returns what <c>Program.Run()</c> returns.</summary>
    private static async Task<string> RunAsync(string source, string[] generated)
    {
        CSharpCompilation compilation = Compile(new[] { source }.Concat(generated));
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, "The program does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);

        image.Position = 0;
        var context = new AssemblyLoadContext("program-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            MethodInfo run = assembly.GetType("Corpus.Program")!.GetMethod("Run")!;
            return await ((Task<string>)run.Invoke(null, null)!).WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        }
        finally
        {
            context.Unload();
        }
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static CSharpCompilation Compile(IEnumerable<string> sources) => CSharpCompilation.Create(
        "Program" + Guid.NewGuid().ToString("N"),
        sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s), ParseOptions)),
        TestReferences.Framework.Add(TestReferences.Pipelines),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
}
