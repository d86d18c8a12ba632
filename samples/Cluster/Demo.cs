using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pipelines;
using Pipelines.Orleans;

namespace ClusterSample;

/// <summary>
/// A Merkle tree over generated chunks, written as it would be for a thread pool: every leaf is
/// <c>executor.SubmitDigestChunk(i, work)</c>, every inner node <c>executor.SubmitCombine(left, right)</c> of its
/// children's futures. On an <see cref="OrleansExecutor"/> every inner node goes with references to its children once
/// they are done: digests go silo to silo, and the client reads only the root.
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

/// <summary>What one run of the Merkle pipeline did.</summary>
/// <param name="Elapsed">From the first submit to the root's value.</param>
/// <param name="Matches">The root is the one computed locally.</param>
/// <param name="Statistics">The executor's counters at the end.</param>
/// <param name="KilledAt">When the victim was killed, if it was.</param>
/// <param name="Restarted">The victim's replacement, if one was started (the caller owns it).</param>
internal sealed record MerkleRun(TimeSpan Elapsed, bool Matches, OrleansExecutorStatistics Statistics, TimeSpan? KilledAt, SiloProcess? Restarted)
{
    /// <summary>Successful calls per silo, by the names given (a silo not named is shown by its address).</summary>
    public string Split(IReadOnlyDictionary<string, string> names) =>
        string.Join(" / ", Statistics.SucceededBySilo.OrderBy(p => names.TryGetValue(p.Key, out string? n) ? n : p.Key, StringComparer.Ordinal)
            .Select(p => $"{(names.TryGetValue(p.Key, out string? n) ? n : p.Key)} {p.Value}"));

    /// <summary>The largest departure from an even split over the silos that ran calls, as a fraction (0.1 = ±10%).</summary>
    public double Imbalance
    {
        get
        {
            long[] counts = [.. Statistics.SucceededBySilo.Values];
            double even = counts.Sum() / (double)Math.Max(1, counts.Length);
            return counts.Length == 0 ? 0 : counts.Max(c => Math.Abs(c - even)) / even;
        }
    }
}

/// <summary>The default mode: two silo processes, a client, the Merkle pipeline, and the second silo killed mid-run.</summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(ClusterLayout layout, int leaves, int workMilliseconds, bool kill, bool restart)
    {
        string membership = layout.Redis is null ? "localhost clustering, silo-A primary" : $"Redis clustering at {layout.Redis}";
        Console.WriteLine($"Starting two silo processes on localhost (silo ports {layout.SiloPort(0)}, {layout.SiloPort(1)}; gateways {layout.GatewayPort(0)}, {layout.GatewayPort(1)}; {membership})...");
        using SiloProcess primary = await LocalCluster.StartSiloProcessAsync("silo-A", 0, layout, TimeSpan.FromSeconds(60));
        Console.WriteLine($"  {primary.Name} pid {primary.Process.Id}, up in {primary.StartTime.TotalSeconds:F1} s");
        using SiloProcess secondary = await LocalCluster.StartSiloProcessAsync("silo-B", 1, layout, TimeSpan.FromSeconds(60));
        Console.WriteLine($"  {secondary.Name} pid {secondary.Process.Id}, up in {secondary.StartTime.TotalSeconds:F1} s");
        var names = new Dictionary<string, string> { [primary.Address] = primary.Name, [secondary.Address] = secondary.Name };
        using var client = await LocalCluster.StartClientAsync(layout, silos: 2);
        MerkleRun run = await RunMerkleAsync(client.Services.GetRequiredService<IClusterClient>(), layout, leaves, workMilliseconds, names,
            victim: kill ? secondary : null, restart, print: true);
        using SiloProcess? replacement = run.Restarted;
        return run.Matches ? 0 : 1;
    }

    /// <summary>Connects to a running cluster and runs the pipeline once.</summary>
    public static async Task<int> RunPipelineAsync(ClusterLayout layout, int silos, int leaves, int workMilliseconds)
    {
        using var client = await LocalCluster.StartClientAsync(layout, silos);
        MerkleRun run = await RunMerkleAsync(client.Services.GetRequiredService<IClusterClient>(), layout, leaves, workMilliseconds, new(), victim: null, restart: false, print: true);
        return run.Matches ? 0 : 1;
    }

    /// <summary>
    /// Runs the Merkle pipeline on the cluster of <paramref name="client"/>. With a <paramref name="victim"/> (a local silo
    /// process), kills it once 2/5 of the leaves are done and, with <paramref name="restart"/>, starts a new process in its
    /// place at once (as Dask's nanny restarts a killed worker): it joins under a new generation, which also tells the
    /// cluster that the old one is dead.
    /// </summary>
    public static async Task<MerkleRun> RunMerkleAsync(IClusterClient client, ClusterLayout layout, int leaves, int workMilliseconds,
        Dictionary<string, string> names, SiloProcess? victim, bool restart, bool print)
    {
        // The only line that differs from a thread-pool pipeline.
        await using var executor = new OrleansExecutor(client, new OrleansExecutorOptions { PollInterval = TimeSpan.FromSeconds(2) });
        await executor.Dispatcher.WaitForFirstViewAsync();

        string expected = Jobs.LocalRoot(leaves);
        var demo = new MerkleDemo(executor, workMilliseconds);
        if (print)
        {
            Console.WriteLine($"Merkle root of {leaves} chunks: {leaves} DigestChunk calls, {leaves - 1} Combine calls whose arguments are the children's futures.");
        }

        var clock = Stopwatch.StartNew();
        if (print)
        {
            // What the client's placement hears from the cluster, as it hears it.
            string Name(Pipelines.Orleans.Client.ClusterSilo silo) => names.TryGetValue(silo.Name, out string? name) ? name : silo.Name;
            executor.Dispatcher.Placement.Gone += silo => Console.WriteLine($"  >>> the client saw {Name(silo)} leave the cluster at {clock.Elapsed.TotalSeconds:F1} s");
            executor.Dispatcher.Placement.Joined += silo => Console.WriteLine($"  >>> the client saw {Name(silo)} join the cluster at {clock.Elapsed.TotalSeconds:F1} s: it takes calls from now on");
        }

        Future<string> root = demo.Submit(leaves);
        Task<string> run = root.AsTask();
        TimeSpan? killedAt = null;
        Task<SiloProcess>? replacement = null;
        bool interactive = print && !Console.IsOutputRedirected;
        TimeSpan lastLine = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(10));
            if (victim is not null && killedAt is null && demo.LeavesDone >= leaves * 2 / 5)
            {
                victim.Kill();
                killedAt = clock.Elapsed;
                if (restart)
                {
                    replacement = LocalCluster.StartSiloProcessAsync(victim.Name + "'", victim.Index, layout, TimeSpan.FromSeconds(60));
                }

                if (print)
                {
                    Console.WriteLine(interactive ? string.Empty : null);
                    Console.WriteLine($"  >>> killed {victim.Name} (pid {victim.Process.Id}) at {killedAt.Value.TotalSeconds:F1} s, with {demo.LeavesDone}/{leaves} leaves done{(restart ? "; restarting it" : string.Empty)}");
                }
            }

            if (replacement is { IsCompletedSuccessfully: true } && !names.ContainsKey(replacement.Result.Address))
            {
                names[replacement.Result.Address] = replacement.Result.Name;
                if (print)
                {
                    Console.WriteLine(interactive ? string.Empty : null);
                    Console.WriteLine($"  >>> {replacement.Result.Name} (pid {replacement.Result.Process.Id}) joined at {clock.Elapsed.TotalSeconds:F1} s");
                }
            }

            if (print && (clock.Elapsed - lastLine >= TimeSpan.FromSeconds(interactive ? 0.2 : 1)))
            {
                lastLine = clock.Elapsed;
                string line = Progress(demo, executor, leaves, names, clock.Elapsed);
                Console.Write(interactive ? $"\r{line,-120}" : line + Environment.NewLine);
            }
        }

        string digest = await run;
        TimeSpan elapsed = clock.Elapsed;
        SiloProcess? restarted = replacement is null ? null : await replacement;
        if (restarted is not null)
        {
            names.TryAdd(restarted.Address, restarted.Name);
        }

        OrleansExecutorStatistics stats = executor.GetStatistics();
        if (print)
        {
            Console.WriteLine(interactive ? $"\r{Progress(demo, executor, leaves, names, elapsed),-120}" : Progress(demo, executor, leaves, names, elapsed));
            Console.WriteLine($"Root {digest[..16]}… in {elapsed.TotalSeconds:F1} s; {(digest == expected ? "matches" : "DOES NOT MATCH")} the locally computed root.");
            Console.WriteLine($"Client read {stats.ValuesRead} value(s); every other digest went silo to silo. Lost outcomes: {stats.LostOutcomes} (run again), " +
                $"lost results recomputed: {stats.Recomputed}, calls sent again for a lost argument: {stats.Redispatched}, redelivered after rejection: {stats.Redelivered}.");
        }

        return new MerkleRun(elapsed, digest == expected, stats, killedAt, restarted);
    }

    private static string Progress(MerkleDemo demo, OrleansExecutor executor, int leaves, Dictionary<string, string> names, TimeSpan elapsed)
    {
        int done = demo.LeavesDone + demo.InnerDone;
        int total = 2 * leaves - 1;
        int width = 30;
        int filled = (int)Math.Min(width, (long)width * done / total);
        OrleansExecutorStatistics stats = executor.GetStatistics();
        string bySilo = string.Join("  ", stats.SucceededBySilo.OrderBy(p => names.TryGetValue(p.Key, out string? n) ? n : p.Key, StringComparer.Ordinal)
            .Select(p => $"{(names.TryGetValue(p.Key, out string? n) ? n : p.Key)}: {p.Value}"));
        return $"  [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} calls  {bySilo}  lost: {stats.LostOutcomes} recomputed: {stats.Recomputed}  {elapsed.TotalSeconds:F1} s";
    }
}
