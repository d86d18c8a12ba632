using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace Pipelines.PackageTests;

/// <summary>
/// Packs src/Runtime once (Release, into a unique temp folder, with its own artifacts path so nothing
/// clashes with the solution's Debug build) and deletes everything afterwards.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "pipelines-package-tests-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Version { get; private set; } = "";

    public string PackagePath => Path.Combine(Feed, $"Pipelines.{Version}.nupkg");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

        DotNet.Result pack = await DotNet.RunAsync(
            RepositoryRoot,
            StepTimeout,
            "pack",
            Path.Combine(RepositoryRoot, "src", "Runtime", "Pipelines.Runtime.csproj"),
            "-c", "Release",
            "-o", Feed,
            "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"));
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
