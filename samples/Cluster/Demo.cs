using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pipelines;
using Pipelines.Orleans;

namespace ClusterSample;

/// <summary>
/// A Merkle tree over generated chunks, written as it would be for a thread pool: every leaf is
/// <c>executor.SubmitDigestChunk(i, work)</c>, every inner node <c>executor.SubmitCombine(left, right)</c> of its
/// children's futures. On an <see cref="OrleansExecutor"/> every call is sent at once, each inner node with references
/// to its children: digests go silo to silo, and the client reads only the root.
/// </summary>
internal sealed class MerkleDemo(IExecutor executor, int workMilliseconds)
{
    private readonly List<Future<string>> _leaves = new();
    private readonly List<Future<string>> _inner = new();

    public int LeavesDone => _leaves.Count(f => f.IsDone); // polled: waiting on them would make them "read"

    public int InnerDone => _inner.Count(f => f.IsDone);

    /// <summary>Submits the whole tree and returns the root's future.</summary>
    public Future<string> Submit(int leaves)
    {
        List<Future<string>> level = Enumerable.Range(0, leaves).Select(i => executor.SubmitDigestChunk(i, workMilliseconds)).ToList();
        _leaves.AddRange(level);
        while (level.Count > 1)
        {
            var next = new List<Future<string>>();
            for (int i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 < level.Count ? executor.SubmitCombine(level[i], level[i + 1]) : level[i]);
            }

            _inner.AddRange(next.Where(f => !level.Contains(f)));
            level = next;
        }

        return level[0];
    }
}

/// <summary>The default mode: two silo processes, a client, the Merkle pipeline, and the second silo killed mid-run.</summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(ClusterLayout layout, int leaves, int workMilliseconds, bool kill)
    {
        string membership = layout.Redis is null ? "localhost clustering, silo-A primary" : $"Redis clustering at {layout.Redis}";
        Console.WriteLine($"Starting two silo processes on localhost (silo ports {layout.SiloPort(0)}, {layout.SiloPort(1)}; gateways {layout.GatewayPort(0)}, {layout.GatewayPort(1)}; {membership})...");
        using SiloProcess primary = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        Console.WriteLine($"  {primary.Name} pid {primary.Process.Id}, up in {primary.StartTime.TotalSeconds:F1} s");
        using SiloProcess secondary = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        Console.WriteLine($"  {secondary.Name} pid {secondary.Process.Id}, up in {secondary.StartTime.TotalSeconds:F1} s");
        var names = new Dictionary<string, string> { [primary.Address] = primary.Name, [secondary.Address] = secondary.Name };
        return await RunPipelineAsync(layout, silos: 2, leaves, workMilliseconds, names, kill ? secondary : null);
    }

    /// <summary>Connects to a running cluster and runs the pipeline; kills <paramref name="victim"/> (a local silo process) mid-run if given.</summary>
    public static async Task<int> RunPipelineAsync(ClusterLayout layout, int silos, int leaves, int workMilliseconds, Dictionary<string, string> names, SiloProcess? victim)
    {
        using var client = await LocalCluster.StartClientAsync(layout, silos);

        // The only line that differs from a thread-pool pipeline.
        await using var executor = new OrleansExecutor(client.Services.GetRequiredService<IClusterClient>(),
            new OrleansExecutorOptions { ShardCount = 32, PollInterval = TimeSpan.FromSeconds(2) });

        string expected = Jobs.LocalRoot(leaves);
        var demo = new MerkleDemo(executor, workMilliseconds);
        Console.WriteLine($"Merkle root of {leaves} chunks: {leaves} DigestChunk calls, {leaves - 1} Combine calls whose arguments are the children's futures.");
        var clock = Stopwatch.StartNew();
        Future<string> root = demo.Submit(leaves);
        Task<string> run = root.AsTask();
        bool killed = false;
        bool interactive = !Console.IsOutputRedirected;
        TimeSpan lastLine = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(200));
            if (victim is not null && !killed && demo.LeavesDone >= leaves * 2 / 5)
            {
                victim.Kill();
                killed = true;
                Console.WriteLine(interactive ? string.Empty : null);
                Console.WriteLine($"  >>> killed {victim.Name} (pid {victim.Process.Id}) at {clock.Elapsed.TotalSeconds:F1} s, with {demo.LeavesDone}/{leaves} leaves done");
            }

            if (interactive || clock.Elapsed - lastLine >= TimeSpan.FromSeconds(1))
            {
                lastLine = clock.Elapsed;
                string line = Progress(demo, executor, leaves, names, clock.Elapsed);
                Console.Write(interactive ? $"\r{line,-120}" : line + Environment.NewLine);
            }
        }

        string digest = await run;
        Console.WriteLine(interactive ? $"\r{Progress(demo, executor, leaves, names, clock.Elapsed),-120}" : Progress(demo, executor, leaves, names, clock.Elapsed));
        Console.WriteLine($"Root {digest[..16]}… in {clock.Elapsed.TotalSeconds:F1} s; {(digest == expected ? "matches" : "DOES NOT MATCH")} the locally computed root.");
        OrleansExecutorStatistics stats = executor.GetStatistics();
        Console.WriteLine($"Client read {stats.ValuesRead} value(s); every other digest went silo to silo. Lost outcomes: {stats.LostOutcomes} (run again), " +
            $"lost results recomputed: {stats.Recomputed}, calls sent again for a lost argument: {stats.Redispatched}, redelivered after rejection: {stats.Redelivered}.");
        return digest == expected ? 0 : 1;
    }

    private static string Progress(MerkleDemo demo, OrleansExecutor executor, int leaves, Dictionary<string, string> names, TimeSpan elapsed)
    {
        int done = demo.LeavesDone + demo.InnerDone;
        int total = 2 * leaves - 1;
        int width = 30;
        int filled = (int)Math.Min(width, (long)width * done / total);
        OrleansExecutorStatistics stats = executor.GetStatistics();
        string bySilo = string.Join("  ", stats.SucceededBySilo.OrderBy(p => p.Key).Select(p => $"{(names.TryGetValue(p.Key, out string? n) ? n : p.Key)}: {p.Value}"));
        return $"  [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} calls  {bySilo}  lost: {stats.LostOutcomes} recomputed: {stats.Recomputed}  {elapsed.TotalSeconds:F1} s";
    }
}
