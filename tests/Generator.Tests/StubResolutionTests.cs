using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>What the compiler says about calls of the stubs: as it says about calls of the methods.</summary>
public class StubResolutionTests
{
    private const string Methods = """
        using Pipelines;

        namespace Demo;

        public sealed record Artifact(string Name);

        public static class Jobs
        {
            [Submittable] public static string Shout(string text) => text;
            [Submittable] public static string Link(Artifact? artifact) => artifact?.Name ?? "";
            [Submittable] public static int Add(int a, int b) => a + b;
            [Submittable] public static double Add(double a, double b) => a + b;
            [Submittable] public static int SumAll(params int[] values) => 0;
            [Submittable] public static int Flush(int timeout = 5) => timeout;
        }
        """;

    [Fact]
    public void ANullForANonNullableParameterWarnsNamingTheStubsParameter()
    {
        Diagnostic[] diagnostics = Compile("""
            string? maybe = System.Environment.GetEnvironmentVariable("X");
            _ = executor.SubmitShout(maybe);
            """);
        Diagnostic warning = Assert.Single(diagnostics);
        Assert.Equal("CS8604", warning.Id);
        string message = warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("parameter 'text'", message);
        Assert.Contains("SubmitShout", message);
        Assert.DoesNotContain("FutureOr", message);
    }

    [Fact]
    public void AFutureOfANullableResultForANonNullableParameterWarnsNamingTheStubsParameter()
    {
        Diagnostic warning = Assert.Single(Compile("""
            Future<string?> maybe = Future.FromResult<string?>(null);
            _ = executor.SubmitShout(maybe);
            """));
        Assert.Equal("CS8620", warning.Id);
        Assert.Contains("parameter 'text'", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NullableParametersTakeFuturesOfEitherNullabilityAndNullWithoutWarnings()
    {
        Assert.Empty(Compile("""
            Future<Artifact> artifact = Future.FromResult(new Artifact("a"));
            Future<Artifact?> maybe = Future.FromResult<Artifact?>(null);
            _ = executor.SubmitLink(artifact);
            _ = executor.SubmitLink(maybe);
            _ = executor.SubmitLink(null);
            _ = artifact.ThenLink();
            _ = maybe.ThenLink();
            """));
    }

    [Fact]
    public void OverloadsParamsAndOptionalParametersResolveWithoutAmbiguity()
    {
        Assert.Empty(Compile("""
            Future<int> i = executor.SubmitAdd(1, 2);
            Future<double> d = executor.SubmitAdd(1, 2.5);
            Future<int> fi = executor.SubmitAdd(Future.FromResult(1), 2);
            Future<double> fd = executor.SubmitAdd(Future.FromResult(1.5), 2);
            Future<int> s = executor.SubmitSumAll(1, 2, 3);
            Future<int> none = executor.SubmitSumAll();
            Future<int> flush = executor.SubmitFlush();
            Future<int> flushFuture = executor.SubmitFlush(Future.FromResult(1));
            """));
    }

    /// <summary>The diagnostics (warnings and errors) in the consumer's statements, after the generator has run.</summary>
    private static Diagnostic[] Compile(string statements)
    {
        string consumer = $$"""
            #nullable enable
            using Pipelines;

            namespace Demo;

            public static class Consumer
            {
                public static void Run(IExecutor executor)
                {
                    {{statements}}
                }
            }
            """;
        (_, Compilation output, _) = TestCompilation.RunGenerator(TestCompilation.Create(Methods, consumer), trackSteps: false);
        return output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591" && d.Location.SourceTree?.FilePath == "Source1.cs")
            .ToArray();
    }
}
