using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Tests.Corpus;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>
/// Unusual but legal sources (<see cref="OddSources"/>): no generator crash, no analyzer crash, no generated code that
/// does not compile or warns (with documentation files on), and every [Submittable] method gets stubs or a PIPE01xx
/// diagnostic that says why it has none — never both, never neither.
/// </summary>
public class OddSourceTests
{
    public static TheoryData<string> Names => new(OddSources.All.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task EveryMethodGetsWorkingStubsOrADiagnostic(string name)
    {
        string source = "using Pipelines;\n" + OddSources.All[name];
        CSharpCompilation compilation = Compile(source);
        Assert.True(
            !compilation.GetDiagnostics(TestContext.Current.CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error),
            "The corpus source itself does not compile:\n" + string.Join("\n", compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error)));

        (GeneratorDriver driver, Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) = TestCompilation.RunGenerator(compilation);
        Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        Assert.Empty(generatorDiagnostics);
        string generated = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => $"// {t.FilePath}\n{t}"));

        // No error anywhere (the source is legal), no warning in generated code.
        Diagnostic[] problems = output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && IsGenerated(d.Location.SourceTree)))
            .ToArray();
        Assert.True(problems.Length == 0, "Generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())) + "\n" + generated);

        ImmutableArray<Diagnostic> analyzerDiagnostics = await output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SubmittableSignatureAnalyzer()))
            .GetAllDiagnosticsAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");
        Diagnostic[] reported = analyzerDiagnostics.Where(d => d.Id.StartsWith("PIPE01", StringComparison.Ordinal)).ToArray();

        var stubbed = new HashSet<string>(StubbedMethodIds(output), StringComparer.Ordinal);
        foreach ((IMethodSymbol method, MethodDeclarationSyntax declaration) in SubmittableMethods(compilation))
        {
            string id = method.GetDocumentationCommentId()!;
            Diagnostic[] its = reported.Where(d => declaration.FullSpan.Contains(d.Location.SourceSpan) && d.Location.SourceTree == declaration.SyntaxTree).ToArray();
            Assert.True(
                stubbed.Contains(id) ^ (its.Length > 0),
                $"{id}: {(stubbed.Contains(id) ? "has stubs" : "has no stubs")} and {(its.Length > 0 ? "a diagnostic: " + its[0] : "no diagnostic")}\n{generated}");
        }
    }

    [Fact]
    public void TheCorpusIsNotEmpty() => Assert.True(OddSources.All.Count >= 25, $"{OddSources.All.Count} sources");

    /// <summary>[AllowNull] and [DisallowNull] say for a stub's caller what they say for the method's.</summary>
    [Fact]
    public void NullabilityAttributesHoldForTheStubsCallers()
    {
        const string Source = """
            using System.Diagnostics.CodeAnalysis;
            using Pipelines;
            namespace N;
            public static class Texts
            {
                [Submittable] public static string Allows([AllowNull] string text) => text ?? "null";
                [Submittable] public static int Disallows([DisallowNull] string? text) => text!.Length;
            }
            public static class Caller
            {
                public static void Call(IExecutor executor, Future<string?> maybe)
                {
                    _ = executor.SubmitAllows(null);
                    _ = executor.SubmitAllows(maybe);
                    _ = maybe.ThenAllows();
                    _ = executor.SubmitDisallows(null);
                }
            }
            """;
        Compilation output = TestCompilation.RunGenerator(Compile(Source)).Output;
        Diagnostic[] diagnostics = output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")
            .ToArray();

        Diagnostic single = Assert.Single(diagnostics);
        Assert.Equal("CS8625", single.Id);
        Assert.False(IsGenerated(single.Location.SourceTree));
        Assert.Contains("SubmitDisallows(null)", single.Location.SourceTree!.GetText(TestContext.Current.CancellationToken).Lines[single.Location.GetLineSpan().StartLinePosition.Line].ToString(), StringComparison.Ordinal);
    }

    /// <summary>A stub of an obsolete or experimental method is called with the diagnostic a call of the method gets, and no other.</summary>
    [Fact]
    public void CallingAStubWarnsAsCallingTheMethodDoes()
    {
        const string Source = """
            using Pipelines;
            namespace N;
            public static class Old
            {
                [System.Obsolete("Use New.")] [Submittable] public static int Stale(int x) => x;
                [System.Obsolete("Gone.", true)] [Submittable] public static int Gone(int x) => x;
                [System.Diagnostics.CodeAnalysis.Experimental("PREVIEW001")] [Submittable] public static int Preview(int x) => x;
            }
            public static class Caller
            {
                public static void Call(IExecutor executor)
                {
                    _ = executor.SubmitStale(1);
                    _ = executor.SubmitGone(2);
                    _ = executor.SubmitPreview(3);
                    _ = Future.FromResult(4).ThenStale();
                }
            }
            """;
        Compilation output = TestCompilation.RunGenerator(Compile(Source)).Output;
        Diagnostic[] diagnostics = output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();

        Assert.All(diagnostics, d => Assert.False(IsGenerated(d.Location.SourceTree), d.ToString()));
        Assert.Equal(new[] { "CS0618", "CS0619", "PREVIEW001", "CS0618" }, diagnostics.Select(d => d.Id));
        Assert.Contains("Use New.", diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("Gone.", diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static CSharpCompilation Compile(string source) =>
        TestCompilation.Create(new[] { source }, TestCompilation.ParseOptions.WithLanguageVersion(LanguageVersion.Preview))
            .WithOptions(TestCompilation.Create().Options.WithAllowUnsafe(true));

    private static bool IsGenerated(SyntaxTree? tree) => tree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;

    /// <summary>The methods the generated stubs call: the IDs their <c>[StubFor]</c> names.</summary>
    private static IEnumerable<string> StubbedMethodIds(Compilation output)
    {
        foreach (SyntaxTree tree in output.SyntaxTrees.Where(IsGenerated))
        {
            SemanticModel model = output.GetSemanticModel(tree);
            foreach (MethodDeclarationSyntax stub in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                foreach (AttributeData attribute in model.GetDeclaredSymbol(stub)!.GetAttributes())
                {
                    if (attribute.AttributeClass?.Name == "StubForAttribute" && attribute.ConstructorArguments[0].Value is string id)
                    {
                        yield return id;
                    }
                }
            }
        }
    }

    private static IEnumerable<(IMethodSymbol Method, MethodDeclarationSyntax Declaration)> SubmittableMethods(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (MethodDeclarationSyntax declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (declaration.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Submittable" or "Pipelines.Submittable" || a.Name.ToString().StartsWith("Submittable(", StringComparison.Ordinal)))
                {
                    yield return ((IMethodSymbol)model.GetDeclaredSymbol(declaration)!, declaration);
                }
            }
        }
    }
}
