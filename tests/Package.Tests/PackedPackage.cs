using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace Pipelines.PackageTests;

/// <summary>
/// Packs src/Runtime once into a unique temp folder, as the README's <c>dotnet pack src/Runtime -c Release -o …</c> does
/// but of the build that is already there (this test assembly's configuration: the project reference built it, every
/// target framework, before the tests ran), so a cold <c>dotnet test Pipelines.sln</c> does not build the runtime, the
/// generator and the code fixes a second time; deletes everything afterwards.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "pipelines-package-tests-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Version { get; private set; } = "";

    public string PackagePath => Path.Combine(Feed, $"Pipelines.{Version}.nupkg");

    /// <summary>The README, whose instructions the consumer follows.</summary>
    public string Readme => File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));

    /// <summary>This test assembly's build configuration (<c>bin/&lt;Configuration&gt;/net10.0</c>), which the runtime was built in too.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

        DotNet.Result pack = await DotNet.RunAsync(
            RepositoryRoot,
            StepTimeout,
            "pack",
            Path.Combine(RepositoryRoot, "src", "Runtime", "Pipelines.Runtime.csproj"),
            "-c", Configuration,
            "--no-build",
            "-o", Feed);
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed with {pack}");
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipelines.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Pipelines.sln not found above {AppContext.BaseDirectory}.");
    }
}
