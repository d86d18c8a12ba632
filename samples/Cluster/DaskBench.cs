using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ClusterSample;

/// <summary>Dask distributed's figures on the bench's shapes, per round (<c>benchmarks/Dask/dask_bench.py</c>).</summary>
internal sealed record DaskFigures(List<double> Median, List<double> P99, List<double> Burst, List<double> Refs, List<double> Merkle, List<double> MerkleKilled);

/// <summary>
/// Runs <c>benchmarks/Dask/dask_bench.py</c> (copied beside this program) with Debian's Python when
/// <c>import distributed</c> works there: round trips, a burst and refs pairs on <c>LocalCluster(processes=True)</c>
/// with two workers, and the Merkle tree with two threads per worker (as many as the silos run), with and without a
/// worker killed at 2/5 of the leaves (its nanny restarts it).
/// </summary>
internal static class DaskBench
{
    private const string Python = "/usr/bin/python3";

    public static async Task<DaskFigures?> RunAsync(int rounds, int sequential, int burst)
    {
        Console.WriteLine();
        string script = Path.Combine(AppContext.BaseDirectory, "Dask", "dask_bench.py");
        if (!File.Exists(Python) || (await RunPythonAsync(["-c", "import distributed"], print: false)).ExitCode != 0)
        {
            Console.WriteLine($"Dask: skipped ({Python} -c \"import distributed\" fails; on Debian: apt-get install -y python3-distributed python3-dask).");
            return null;
        }

        Console.WriteLine($"Dask distributed on the same shapes ({script}):");
        var figures = new DaskFigures([], [], [], [], [], []);
        for (int round = 0; round < rounds; round++)
        {
            JsonElement bench = await RunScriptAsync(script, "bench", "--modes", "procs", "--sequential", Text(sequential), "--burst", Text(burst));
            JsonElement row = bench.GetProperty("rows")[0];
            figures.Median.Add(row.GetProperty("median_us").GetDouble());
            figures.P99.Add(row.GetProperty("p99_us").GetDouble());
            figures.Burst.Add(row.GetProperty("burst_per_s").GetDouble());
            figures.Refs.Add(row.GetProperty("refs_per_s").GetDouble());
            figures.Merkle.Add((await RunScriptAsync(script, "merkle", "--threads-per-worker", "2")).GetProperty("wall_s").GetDouble());
            figures.MerkleKilled.Add((await RunScriptAsync(script, "merkle", "--threads-per-worker", "2", "--kill")).GetProperty("wall_s").GetDouble());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round + 1}: median {figures.Median[^1]:F0}us p99 {figures.P99[^1]:F0}us burst {figures.Burst[^1]:N0}/s refs {figures.Refs[^1]:N0}/s; Merkle {figures.Merkle[^1]:F2} s, with a worker killed and restarted {figures.MerkleKilled[^1]:F2} s"));
        }

        return figures;
    }

    private static async Task<JsonElement> RunScriptAsync(string script, params string[] arguments)
    {
        (int exitCode, string output) = await RunPythonAsync([script, .. arguments], print: false);
        string? result = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (exitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"dask_bench.py {string.Join(' ', arguments)} failed (exit {exitCode}):\n{output}");
        }

        return JsonDocument.Parse(result["RESULT ".Length..]).RootElement.Clone();
    }

    private static async Task<(int ExitCode, string Output)> RunPythonAsync(string[] arguments, bool print)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The C helper that makes System.Random's bytes is compiled on first use: somewhere writable.
        start.Environment["DOTNET_RANDOM_SO"] = Path.Combine(Path.GetTempPath(), "pipelines-dask", "libdotnet_random.so");
        Directory.CreateDirectory(Path.GetDirectoryName(start.Environment["DOTNET_RANDOM_SO"]!)!);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout + await stderr;
        if (print)
        {
            Console.Write(output);
        }

        return (process.ExitCode, output);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
