using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Pipelines.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over a test source written with <c>{|PIPE0001:…|}</c> markup, against the framework and the
/// Pipelines runtime, at a pinned language version. The markup-free source must compile without errors.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The markup's diagnostics, plus <paramref name="expected"/> (for checking arguments: <c>{|#0:…|}</c> and <see cref="Diagnostic()"/>).</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A diagnostic of the analyzer's first descriptor, to locate and check arguments of.</summary>
    public static DiagnosticResult Diagnostic() => new(new TAnalyzer().SupportedDiagnostics[0]);

    public class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;

            // A rule that also reports at compilation end has a second descriptor with the same ID (DiagnosticDescriptors).
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            TestState.AdditionalReferences.AddRange(TestReferences.Framework);
            TestState.AdditionalReferences.Add(TestReferences.Pipelines);
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }
}
