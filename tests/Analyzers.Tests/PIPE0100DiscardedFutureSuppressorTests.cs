using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Pipelines.Analyzers.Tests.Verifiers;
using Pipelines.Generator.Analyzers;
using Xunit;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// A future dropped in an async function is reported once: PIPE0100, with CS4014 suppressed on the same statement —
/// and only there, and only while PIPE0100 is on. A kept future's <c>CancelAfter</c> drops nothing: neither warns.
/// </summary>
public class PIPE0100DiscardedFutureSuppressorTests
{
    private const string Source = """
        public static class Program
        {
            public static async Task Run(IExecutor executor)
            {
                {|#0:[[executor.SubmitAdd(1, 2)]]|};
                {|#1:[[executor.Submit(() => 1)]]|};
                {|#2:Task.Delay(1)|};
                {|#3:Future.FromResult(1)|};
                Future<int> kept = executor.SubmitAdd(3, 4);
                {|#4:kept.CancelAfter(TimeSpan.FromSeconds(1))|};
                {|#5:[[executor.SubmitAdd(5, 6).CancelAfter(TimeSpan.FromSeconds(1))]]|};
                await kept;
            }
        }
        """;

    [Fact]
    public Task CS4014IsSuppressedWherePIPE0100Reports()
    {
        var test = new Test { TestCode = TestSources.With(Source.Replace("[[", "{|PIPE0100:").Replace("]]", "|}")) };
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(0).WithIsSuppressed(true));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(1).WithIsSuppressed(true));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(2).WithIsSuppressed(false));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(3).WithIsSuppressed(false));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(4).WithIsSuppressed(true));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(5).WithIsSuppressed(true));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task CS4014StaysWhenPIPE0100IsTurnedOff()
    {
        var test = new Test { TestCode = TestSources.With(Source.Replace("[[", string.Empty).Replace("]]", string.Empty)) };
        test.DisabledDiagnostics.Add("PIPE0100");
        for (int i = 0; i < 6; i++)
        {
            // A kept future's CancelAfter drops nothing: its CS4014 is a false alarm whether PIPE0100 is on or not.
            test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS4014").WithLocation(i).WithIsSuppressed(i == 4));
        }

        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>PIPE0100 and its suppressor together, with compiler warnings checked and suppressed ones reported.</summary>
    private sealed class Test : CSharpAnalyzerVerifier<PIPE0100DiscardedFutureAnalyzer>.Test
    {
        public Test()
        {
            CompilerDiagnostics = CompilerDiagnostics.Warnings;
            DisabledDiagnostics.Add("CS1591"); // test sources have no XML docs
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers()
            => ImmutableArray.Create<DiagnosticAnalyzer>(new PIPE0100DiscardedFutureAnalyzer(), new PIPE0100DiscardedFutureSuppressor());
    }
}
