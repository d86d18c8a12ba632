using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>Samples run as the README says: <c>dotnet run --project samples/PipelineGraph</c>, from the repository.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task PipelineGraphWritesItsGraphBesideItsBuildOutputNotWhereItIsRun()
    {
        string sample = SamplePath("PipelineGraph");
        string runFrom = Path.Combine(Path.GetTempPath(), "pipelines-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(runFrom);
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = runFrom, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(sample);
            using Process run = Process.Start(start)!;
            Task<string> stdout = run.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            Task<string> stderr = run.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await run.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            }
            finally
            {
                if (!run.HasExited)
                {
                    run.Kill(entireProcessTree: true);
                }
            }

            string text = await stdout;
            Assert.True(run.ExitCode == 0, text + await stderr);

            // Nothing lands in the folder it was run from (the repository, for a newcomer); the graph is where it says.
            Assert.Empty(Directory.EnumerateFileSystemEntries(runFrom));
            string written = text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("Written to ", StringComparison.Ordinal))["Written to ".Length..].Split(" (")[0];
            Assert.Equal(Path.Combine(Path.GetDirectoryName(sample)!, "pipeline-graph.md"), written);
            Assert.Contains("```mermaid", File.ReadAllText(written), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(runFrom, recursive: true);
        }
    }

    /// <summary>A sample's output, built in this test assembly's configuration (the project reference builds it first).</summary>
    private static string SamplePath(string name)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/Integration.Tests/bin/<Configuration>/net10.0
        string configuration = framework.Parent!.Name;
        DirectoryInfo root = framework.Parent!.Parent!.Parent!.Parent!.Parent!;
        string path = Path.Combine(root.FullName, "samples", name, "bin", configuration, framework.Name, name + ".dll");
        Assert.True(File.Exists(path), $"The sample is not built at {path}.");
        return path;
    }
}
