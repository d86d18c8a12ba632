using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FileDigest;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pipelines;
using Pipelines.Orleans;

namespace ClusterSample;

/// <summary>
/// samples/FileDigest's job — hash every file under a directory, one call per file, aggregated as they complete — on a
/// thread pool or, with <c>--cluster</c>, on two silo processes. <see cref="HashAllAsync"/> is the job and is the same
/// for both; only the executor's construction differs. The method is FileDigest's own <see cref="Hashing.Hash"/>: this
/// project compiles that file, so its stubs are generated here too, and the silos, being this executable, run it.
/// </summary>
internal static class DigestCommand
{
    public static async Task<int> RunAsync(ClusterLayout layout, string root, bool onCluster)
    {
        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"No such directory: {root}");
            return 2;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        List<FileInfo> files = [.. new DirectoryInfo(root).EnumerateFiles("*", options)];
        if (!onCluster)
        {
            Console.WriteLine($"Hashing {files.Count:N0} files under {root} on a thread pool.");
            await using IExecutor threads = new ThreadPoolExecutor(maxWorkers: Math.Max(2, Environment.ProcessorCount), threadNamePrefix: "hash");
            return await HashAllAsync(threads, root, files);
        }

        Console.WriteLine($"Hashing {files.Count:N0} files under {root} on two silo processes (every silo sees the same paths: one machine).");
        using SiloProcess a = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        using SiloProcess b = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        using var client = await LocalCluster.StartClientAsync(layout, silos: 2);
        await using IExecutor cluster = new OrleansExecutor(client.Services.GetRequiredService<IClusterClient>(), new OrleansExecutorOptions());
        return await HashAllAsync(cluster, root, files);
    }

    /// <summary>The job, as samples/FileDigest writes it: submit one call per file, then take each as it completes.</summary>
    private static async Task<int> HashAllAsync(IExecutor executor, string root, List<FileInfo> files)
    {
        var clock = Stopwatch.StartNew();
        Dictionary<Future<FileDigest.Digest>, FileInfo> pending = files.ToDictionary(f => executor.SubmitHash(f.FullName), f => f);
        var hashes = new List<FileDigest.Digest>(files.Count);
        var errors = new List<(string Path, Exception Error)>();
        await foreach (Future<FileDigest.Digest> future in Futures.AsCompletedAsync(pending.Keys))
        {
            if (future.GetException() is { } error)
            {
                errors.Add((pending[future].FullName, error));
            }
            else
            {
                hashes.Add(future.GetResult());
            }
        }

        long bytes = hashes.Sum(h => h.Bytes);
        Console.WriteLine($"{hashes.Count:N0} files, {bytes / 1048576.0:F1} MB in {clock.Elapsed.TotalSeconds:F2} s on {executor.GetType().Name}; {errors.Count} unreadable.");
        foreach ((string path, Exception error) in errors.Take(3))
        {
            Console.WriteLine($"  error {Path.GetRelativePath(root, path)}: {error.GetType().Name}: {error.Message}");
        }

        // The same tree digest as samples/FileDigest for the same directory: SHA-256 of the sorted "path:hash" lines.
        var lines = new StringBuilder();
        foreach (FileDigest.Digest hash in hashes.OrderBy(h => h.Path, StringComparer.Ordinal))
        {
            lines.Append(Path.GetRelativePath(root, hash.Path).Replace('\\', '/')).Append(':').Append(hash.Sha256).Append('\n');
        }

        Console.WriteLine($"Tree digest {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())))[..16]}…");
        return errors.Count == 0 ? 0 : 1;
    }
}
