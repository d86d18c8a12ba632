using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace Pipelines.PackageTests;

public sealed class PackageTests(PackedPackage package) : IClassFixture<PackedPackage>
{
    [Fact]
    public void OnePackageCarriesTheRuntimeTheGeneratorAndTheAnalyzers()
    {
        Assert.True(File.Exists(package.PackagePath), $"{package.PackagePath} was not produced (version from Directory.Build.props).");
        Assert.True(File.Exists(Path.ChangeExtension(package.PackagePath, ".snupkg")), "no symbol package (.snupkg)");

        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        foreach (string expected in new[]
        {
            "lib/net8.0/Pipelines.dll",
            "lib/net8.0/Pipelines.xml",
            "lib/net10.0/Pipelines.dll",
            "lib/net10.0/Pipelines.xml",
            "analyzers/dotnet/cs/Pipelines.Generator.dll",
            "analyzers/dotnet/cs/Pipelines.CodeFixes.dll",
            "build/Pipelines.props",
            "buildTransitive/Pipelines.props",
        })
        {
            Assert.Contains(expected, entries);
        }

        if (File.Exists(Path.Combine(package.RepositoryRoot, "README.md")))
        {
            Assert.Contains("README.md", entries);
        }

        using Stream nuspecStream = zip.Entries.Single(e => e.FullName == "Pipelines.nuspec").Open();
        XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("Pipelines", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("commit"));

        // A user installs this one package and nothing else: no dependency on the generator projects.
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void TheReadmeSaysHowToBuildThePackageAndInstallItFromAFolder()
    {
        string readme = package.Readme;
        Assert.Contains("dotnet pack src/Runtime -c Release -o ", readme, StringComparison.Ordinal);
        Assert.Contains($"dotnet add package Pipelines --version {package.Version}", readme, StringComparison.Ordinal);
        Assert.Contains($"Pipelines.{package.Version}.nupkg", readme, StringComparison.Ordinal);
        Assert.Contains(ReadmeFeedPath, ReadmeNuGetConfig(readme), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFreshConsumerInstallsItFromAFolderSourceAsTheReadmeSaysBuildsAndRuns()
    {
        string consumer = Path.Combine(package.WorkDirectory, "consumer");
        Directory.CreateDirectory(consumer);

        // Stop MSBuild and NuGet from picking up anything outside the consumer folder.
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />");

        // The README's NuGet.config, with this feed for its folder, plus a private packages folder so that a cached copy
        // of this version is never used.
        XDocument config = XDocument.Parse(ReadmeNuGetConfig(package.Readme).Replace(ReadmeFeedPath, package.Feed, StringComparison.Ordinal));
        config.Root!.AddFirst(new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", Path.Combine(package.WorkDirectory, "packages")))));
        config.Save(Path.Combine(consumer, "NuGet.config"));

        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <!-- Program.cs discards one future on purpose, to see the packaged analyzer report it. -->
                <WarningsNotAsErrors>PIPE0100</WarningsNotAsErrors>
              </PropertyGroup>
            </Project>
            """);

        DotNet.Result add = await DotNet.RunAsync(consumer, PackedPackage.StepTimeout, "add", "package", "Pipelines", "--version", package.Version);
        Assert.True(add.ExitCode == 0, $"dotnet add package failed with {add}");

        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using Pipelines;

            await using var executor = new ThreadPoolExecutor(maxWorkers: 2);
            Future<int> a = executor.SubmitAdd(2, 5);
            Future<int> b = executor.SubmitAdd(a, 3);
            Future<int> c = b.ThenAdd(7);
            Future<string> text = executor.SubmitDescribeAsync(c);
            Console.WriteLine($"c={await c.ThenDouble() / 2}");
            Console.WriteLine(await text);
            Console.WriteLine($"map={string.Join(",", executor.Map(x => x * x, new[] { 1, 2, 3 }))}");
            Console.WriteLine($"remote={typeof(Jobs).Assembly.GetType("Pipelines.Generated.RemoteCallRegistrations") is not null}");
            Jobs.FireAndForget(executor);

            /// <summary>The consumer's jobs.</summary>
            public static partial class Jobs
            {
                /// <summary>Adds two numbers.</summary>
                [Submittable] public static int Add(int a, int b) => a + b;

                /// <summary>Doubles <paramref name="x"/>.</summary>
                /// <param name="x">The number.</param>
                /// <returns>Twice <paramref name="x"/>.</returns>
                [Submittable] public static int Double(int x) => 2 * x;

                /// <summary>Describes a value.</summary>
                /// <param name="value">The value.</param>
                /// <param name="cancellationToken">Fires when the call is cancelled.</param>
                /// <returns>Its description.</returns>
                [Submittable]
                public static async Task<string> DescribeAsync(int value, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    return $"described {value}";
                }

                /// <summary>Drops a future, which the packaged analyzer reports.</summary>
                /// <param name="executor">Where.</param>
                public static void FireAndForget(IExecutor executor)
                {
                    executor.SubmitAdd(1, 1);
                }
            }
            """);

        DotNet.Result build = await DotNet.RunAsync(consumer, PackedPackage.StepTimeout, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, $"consumer build failed with {build}");
        Assert.Contains("warning PIPE0100", build.Output);

        DotNet.Result run = await DotNet.RunAsync(consumer, PackedPackage.StepTimeout, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, $"consumer run failed with {run}");
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(new[] { "c=17", "described 17", "map=1,4,9", "remote=True" }, lines);

        // <PipelinesRemoteCalls>false</PipelinesRemoteCalls> reaches the generator through the package's build/Pipelines.props.
        string optedOut = Path.Combine(package.WorkDirectory, "opted-out");
        DotNet.Result optOutBuild = await DotNet.RunAsync(consumer, PackedPackage.StepTimeout, "build", "-c", "Release", "-p:PipelinesRemoteCalls=false", "-o", optedOut);
        Assert.True(optOutBuild.ExitCode == 0, $"consumer build with PipelinesRemoteCalls=false failed with {optOutBuild}");
        DotNet.Result optOutRun = await DotNet.RunAsync(consumer, PackedPackage.StepTimeout, Path.Combine(optedOut, "Consumer.dll"));
        Assert.True(optOutRun.ExitCode == 0, $"opted-out consumer run failed with {optOutRun}");
        Assert.Contains("remote=False", optOutRun.Output);

        // Restored from the folder source, not from any cache or registry.
        Assert.True(Directory.Exists(Path.Combine(package.WorkDirectory, "packages", "pipelines", package.Version)));
    }

    /// <summary>The folder the README's NuGet.config names, standing for the reader's own.</summary>
    private const string ReadmeFeedPath = "/home/you/pipelines-feed";

    /// <summary>The README's <c>NuGet.config</c>: the xml block that declares the <c>pipelines-local</c> source.</summary>
    private static string ReadmeNuGetConfig(string readme)
    {
        foreach (string block in readme.Split("```xml").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]))
        {
            if (block.Contains("pipelines-local", StringComparison.Ordinal))
            {
                return block.Trim();
            }
        }

        throw new Xunit.Sdk.XunitException("The README has no NuGet.config with a 'pipelines-local' source.");
    }
}
