using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Pipelines.Generator.Tests.Helpers;

/// <summary>One generator test: snapshot of the output, a clean compile, and a cached second run.</summary>
internal static class GeneratorTest
{
    public static void VerifySnapshot(string source, string className, [CallerMemberName] string testName = "", [CallerFilePath] string testFile = "") =>
        VerifySnapshot(source, className, options: null, testName, testFile);

    /// <summary>As above, with MSBuild properties the generator reads (<see cref="TestOptions"/>).</summary>
    public static void VerifySnapshot(string source, string className, TestOptions? options, [CallerMemberName] string testName = "", [CallerFilePath] string testFile = "")
    {
        CSharpCompilation compilation = TestCompilation.Create(source);
        (GeneratorDriver driver, Compilation output, var generatorDiagnostics) = TestCompilation.RunGenerator(compilation, options: options);

        GeneratorDriverRunResult result = driver.GetRunResult();
        Snapshot.Verify(result, className, testName, testFile);

        Assert.Empty(generatorDiagnostics);
        AssertCompilesCleanly(output);

        // Every snapshot test is also a caching test: a rerun on an equal compilation changes nothing.
        GeneratorDriverRunResult second = driver.RunGenerators(compilation.Clone(), Xunit.TestContext.Current.CancellationToken).GetRunResult();
        IncrementalAssert.AllCachedOrUnchanged(second);
        IncrementalAssert.NoRoslynObjectsInSteps(result);
    }

    /// <summary>
    /// No errors, and no warning inside generated code: consumers build with warnings as errors, nullable on and
    /// documentation files on. (The test sources themselves lack docs; their CS1591s are not the generator's.)
    /// </summary>
    public static void AssertCompilesCleanly(Compilation output)
    {
        Diagnostic[] problems = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true))
            .ToArray();
        Assert.True(problems.Length == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())));
    }
}
