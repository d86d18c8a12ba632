using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

public class IncrementalTests
{
    private const string Source = """
        using Pipelines;

        namespace Demo;

        public static class Jobs
        {
            /// <summary>Adds two numbers.</summary>
            [Submittable]
            public static int Add(int a, int b) => a + b;

            /// <summary>Negates a number.</summary>
            [Submittable]
            public static int Negate(int a) => -a;
        }
        """;

    [Fact]
    public void AnEditInsideAMethodBodyLeavesEveryOutputUnchanged()
    {
        GeneratorDriverRunResult second = RunTwice(Source, Source.Replace("=> a + b;", "=> b + a + 0;"));
        IncrementalAssert.AllCachedOrUnchanged(second);
    }

    [Fact]
    public void AnUnrelatedNewFileLeavesEveryOutputUnchanged()
    {
        CSharpCompilation first = TestCompilation.Create(Source);
        GeneratorDriver driver = TestCompilation.RunGenerator(first).Driver;
        CSharpCompilation edited = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public class Unrelated { }", TestCompilation.ParseOptions, cancellationToken: TestContext.Current.CancellationToken));
        IncrementalAssert.AllCachedOrUnchanged(driver.RunGenerators(edited, Xunit.TestContext.Current.CancellationToken).GetRunResult());
    }

    [Fact]
    public void ASignatureEditRegeneratesOnlyThatMethod()
    {
        GeneratorDriverRunResult second = RunTwice(Source, Source.Replace("Negate(int a)", "Negate(long a)"));
        var reasons = second.Results.Single().TrackedSteps[TrackingNames.Methods]
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        string negate = second.GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Jobs.Negate.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("global::Pipelines.FutureOr<long> a", negate);
    }

    [Fact]
    public void ADocCommentEditReachesTheStubsWhileUnchangedDeclarationsKeepTheirs()
    {
        // Doc comments read from syntax are remembered per declaration node across runs: an edit made the way the IDE
        // makes it (WithChangedText, which reuses the unchanged nodes) must still show the new comment, and only there.
        CSharpCompilation first = TestCompilation.Create(Source);
        GeneratorDriver driver = TestCompilation.RunGenerator(first).Driver;
        SyntaxTree oldTree = first.SyntaxTrees.Single();
        Microsoft.CodeAnalysis.Text.SourceText oldText = oldTree.GetText(TestContext.Current.CancellationToken);
        int at = Source.IndexOf("Adds two numbers.", System.StringComparison.Ordinal);
        SyntaxTree newTree = oldTree.WithChangedText(oldText.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(at, "Adds two numbers.".Length), "Sums two integers.")));

        GeneratorDriverRunResult second = driver.RunGenerators(first.ReplaceSyntaxTree(oldTree, newTree), TestContext.Current.CancellationToken).GetRunResult();
        string add = second.GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Jobs.Add.g.cs", System.StringComparison.Ordinal)).ToString();
        string negate = second.GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Jobs.Negate.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("Sums two integers.", add);
        Assert.DoesNotContain("Adds two numbers.", add);
        Assert.Contains("Negates a number.", negate);
    }

    private static GeneratorDriverRunResult RunTwice(string before, string after)
    {
        CSharpCompilation first = TestCompilation.Create(before);
        GeneratorDriver driver = TestCompilation.RunGenerator(first).Driver;
        SyntaxTree oldTree = first.SyntaxTrees.Single();
        CSharpCompilation edited = first.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(after, TestCompilation.ParseOptions, path: oldTree.FilePath));
        return driver.RunGenerators(edited, Xunit.TestContext.Current.CancellationToken).GetRunResult();
    }
}
