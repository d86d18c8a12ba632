using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>The real thing: samples/Cluster starts two silo processes and a client, kills one silo mid-run, and must still get the right answer.</summary>
public sealed class SampleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheTwoProcessDemoFinishesWithTheRightRootAfterASiloIsKilled()
    {
        string sample = SamplePath();
        int basePort = FreeBasePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { sample, "demo", "--leaves", "64", "--work", "30", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using Process demo = Process.Start(start)!;
        Task<string> stdout = demo.StandardOutput.ReadToEndAsync();
        Task<string> stderr = demo.StandardError.ReadToEndAsync();
        try
        {
            await Wait.Bounded(demo.WaitForExitAsync(), "the demo (two silo processes and a client)");
        }
        finally
        {
            if (!demo.HasExited)
            {
                demo.Kill(entireProcessTree: true); // its silos exit when their parent's pipe closes
            }
        }

        string text = await stdout;
        output.WriteLine(text);
        output.WriteLine(await stderr);
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains(">>> killed silo-B", text, StringComparison.Ordinal);
        Assert.Contains("matches the locally computed root", text, StringComparison.Ordinal);
        Assert.Contains("Client read 1 value(s)", text, StringComparison.Ordinal);
    }

    /// <summary>samples/Cluster's output, built in the same configuration as this test assembly (the project reference builds it first).</summary>
    internal static string SamplePath()
    {
        string here = AppContext.BaseDirectory; // .../tests/Orleans.Tests/bin/<Configuration>/net10.0/
        var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = framework.Parent!.Name;
        DirectoryInfo root = framework.Parent!.Parent!.Parent!.Parent!.Parent!;
        string path = Path.Combine(root.FullName, "samples", "Cluster", "bin", configuration, framework.Name, "Cluster.dll");
        Assert.True(File.Exists(path), $"The sample is not built at {path}.");
        return path;
    }

    /// <summary>A base port whose silo and gateway ports (base, base + 1, base + 100, base + 101) are free now.</summary>
    private static int FreeBasePort()
    {
        var random = new Random();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int basePort = random.Next(30_000, 50_000);
            if (Free(basePort) && Free(basePort + 1) && Free(basePort + 100) && Free(basePort + 101))
            {
                return basePort;
            }
        }

        throw new InvalidOperationException("No free ports found for the demo.");
    }

    internal static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
