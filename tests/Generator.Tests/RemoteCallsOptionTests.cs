using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary><c>&lt;PipelinesRemoteCalls&gt;false&lt;/PipelinesRemoteCalls&gt;</c> turns off the module initializer and the JSON members.</summary>
public class RemoteCallsOptionTests
{
    private const string Source = """
        using Pipelines;

        namespace Demo;

        public static class Jobs
        {
            [Submittable]
            public static int Add(int a, int b) => a + b;
        }

        public static class Program
        {
            public static void Main() { }
        }
        """;

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData(" FALSE ")]
    public void FalseTurnsOffTheModuleInitializerAndTheRemoteMembers(string value)
    {
        string all = Generate(TestOptions.WithProperty("PipelinesRemoteCalls", value), out Compilation output);
        Assert.DoesNotContain("ModuleInitializer", all);
        Assert.DoesNotContain("IRemoteCall", all);
        Assert.DoesNotContain("System.Text.Json", all);
        Assert.DoesNotContain("InvokeRemote", all);
        Assert.Contains("[global::Pipelines.Internals.StubFor(\"M:Demo.Jobs.Add(System.Int32,System.Int32)\", false)]", all);
        Assert.Contains("SubmitAdd", all);
        GeneratorTest.AssertCompilesCleanly(output);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("true")]
    public void OtherwiseCallsCanRunInProcessPools(string? value)
    {
        string all = Generate(value is null ? null : TestOptions.WithProperty("PipelinesRemoteCalls", value), out Compilation output);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", all);
        Assert.Contains("global::Pipelines.Remoting.IRemoteCall", all);
        Assert.Contains("[global::Pipelines.Internals.StubFor(\"M:Demo.Jobs.Add(System.Int32,System.Int32)\", true)]", all);
        Assert.Contains("global::Pipelines.ProcessPoolExecutor.RunWorkerIfRequested();", all); // an executable serves as a pool worker when started as one
        GeneratorTest.AssertCompilesCleanly(output);
    }

    [Fact]
    public void ChangingThePropertyRegeneratesAndAnUnchangedOneStaysCached()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new SubmittableGenerator().AsSourceGenerator() },
            parseOptions: TestCompilation.ParseOptions,
            optionsProvider: TestOptions.WithProperty("PipelinesRemoteCalls", "false"),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("IRemoteCall", string.Concat(driver.GetRunResult().GeneratedTrees.Select(t => t.ToString())));

        IncrementalAssert.AllCachedOrUnchanged(driver.RunGenerators(compilation.Clone(), TestContext.Current.CancellationToken).GetRunResult());

        driver = driver.WithUpdatedAnalyzerConfigOptions(TestOptions.WithProperty("PipelinesRemoteCalls", "true"));
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Contains("IRemoteCall", string.Concat(driver.GetRunResult().GeneratedTrees.Select(t => t.ToString())));
    }

    private static CSharpCompilation Compilation() =>
        TestCompilation.Create(Source).WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

    private static string Generate(TestOptions? options, out Compilation output)
    {
        (GeneratorDriver driver, output, _) = TestCompilation.RunGenerator(Compilation(), options: options);
        return string.Concat(driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
    }
}
