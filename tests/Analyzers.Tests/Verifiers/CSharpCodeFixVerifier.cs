using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Pipelines.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifies a code fix: the source's markup diagnostics, the fixed source, and that the fixed source compiles
/// and raises no diagnostic of the rule.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The fix with <paramref name="equivalenceKey"/> (by default the first one offered) turns the source into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, string? equivalenceKey = null)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The diagnostic is reported but no fix (with <paramref name="equivalenceKey"/>, if given) is offered: the fixed code equals the source.</summary>
    public static Task VerifyNoCodeFixAsync(string source, string? equivalenceKey = null)
    {
        var test = new Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = equivalenceKey };
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;

            // A rule that also reports at compilation end has a second descriptor with the same ID (DiagnosticDescriptors).
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            TestState.AdditionalReferences.AddRange(TestReferences.Framework);
            TestState.AdditionalReferences.Add(TestReferences.Pipelines);
            // Markup in the fixed code is a diagnostic that stays (one with no rewrite where it is), not one to ignore.
            FixedState.MarkupHandling = MarkupMode.Allow;
            FixedState.AdditionalReferences.AddRange(TestReferences.Framework);
            FixedState.AdditionalReferences.Add(TestReferences.Pipelines);
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }
}
