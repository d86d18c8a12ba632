using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace ClusterSample;

/// <summary>
/// A Merkle tree over generated chunks: every leaf is <see cref="Jobs.DigestChunk"/>, every inner node
/// <see cref="Jobs.Combine"/> of its children's results. All calls are dispatched at once, each inner node with
/// references to its children's calls (futures as arguments): digests go silo to silo, and the client reads only the
/// root. Phase 2 replaces this driver with <c>executor.SubmitCombine(left, right)</c> on an <c>OrleansExecutor</c>.
/// </summary>
internal sealed class MerkleDemo
{
    private static readonly string s_digestChunk = "M:ClusterSample.Jobs.DigestChunk(System.Int32,System.Int32)";
    private static readonly string s_combine = "M:ClusterSample.Jobs.Combine(System.String,System.String)";

    private readonly ClusterDispatcher _dispatcher;
    private readonly int _workMilliseconds;
    private readonly ConcurrentDictionary<string, int> _bySilo = new();
    private int _leavesDone;
    private int _innerDone;
    private int _lost;
    private int _reruns;

    public MerkleDemo(ClusterDispatcher dispatcher, int workMilliseconds)
    {
        _dispatcher = dispatcher;
        _workMilliseconds = workMilliseconds;
    }

    public int LeavesDone => Volatile.Read(ref _leavesDone);

    public int InnerDone => Volatile.Read(ref _innerDone);

    public int Lost => Volatile.Read(ref _lost);

    public int Reruns => Volatile.Read(ref _reruns);

    public IReadOnlyDictionary<string, int> CallsBySilo => _bySilo;

    /// <summary>Builds the tree, dispatches every call, and returns the root digest (reading only the root's value).</summary>
    public async Task<string> RunAsync(int leaves)
    {
        var level = Enumerable.Range(0, leaves).Select(i => new Node(i, null, null)).ToList();
        var all = new List<Node>(level);
        while (level.Count > 1)
        {
            var next = new List<Node>();
            for (int i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 < level.Count ? new Node(-1, level[i], level[i + 1]) : level[i]);
            }

            all.AddRange(next.Where(n => !n.IsLeaf));
            level = next;
        }

        Node root = level[0];
        foreach (Node node in all)
        {
            Dispatch(node); // children before parents: a parent's references name its children's calls
        }

        ClusterCallId rootId = await SettleAsync(root);
        ClusterCallOutcome outcome = await _dispatcher.FetchAsync(rootId);
        if (outcome.Status != ClusterCallStatus.Succeeded)
        {
            throw ClusterExceptions.ToException(outcome, rootId, s_combine);
        }

        foreach (Node node in all)
        {
            _dispatcher.Release(node.Id);
        }

        return JsonSerializer.Deserialize<string>(outcome.Result)!;
    }

    private void Dispatch(Node node)
    {
        node.Id = _dispatcher.NewCallId();
        node.Run = node.IsLeaf
            ? _dispatcher.RunAsync(node.Id, s_digestChunk, [Json(node.Index), Json(_workMilliseconds)])
            : _dispatcher.RunAsync(node.Id, s_combine, [_dispatcher.Reference(node.Left!.Id), _dispatcher.Reference(node.Right!.Id)]);
        node.Run.ContinueWith(t => Count(node, t.Result), TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> has a successful call and returns its id. These methods are pure, so a call
    /// whose outcome is unknown (its silo died) is simply run again, and an argument whose result was lost is recomputed
    /// first (lineage, as Ray does) — what phase 2 does for methods with <c>[Submittable(Retries = n)]</c>.
    /// </summary>
    private async Task<ClusterCallId> SettleAsync(Node node)
    {
        while (true)
        {
            ClusterCallOutcome outcome = await node.Run!;
            switch (outcome.Status)
            {
                case ClusterCallStatus.Succeeded:
                    return node.Id;
                case ClusterCallStatus.Lost:
                    Interlocked.Increment(ref _reruns);
                    Dispatch(node);
                    break;
                case ClusterCallStatus.ArgumentLost:
                    Node child = outcome.ArgumentIndex == 0 ? node.Left! : node.Right!;
                    if ((await child.Run!).Status == ClusterCallStatus.Succeeded)
                    {
                        Interlocked.Increment(ref _reruns);
                        Dispatch(child); // it had succeeded, but its result died with its silo
                    }

                    await SettleAsync(child);
                    Interlocked.Increment(ref _reruns);
                    Dispatch(node);
                    break;
                default:
                    throw ClusterExceptions.ToException(outcome, node.Id, node.IsLeaf ? s_digestChunk : s_combine);
            }
        }
    }

    private void Count(Node node, ClusterCallOutcome outcome)
    {
        if (outcome.Status == ClusterCallStatus.Succeeded && Interlocked.Exchange(ref node.Counted, 1) == 0)
        {
            Interlocked.Increment(ref node.IsLeaf ? ref _leavesDone : ref _innerDone);
            _bySilo.AddOrUpdate(outcome.Silo ?? "?", 1, (_, n) => n + 1);
        }
        else if (outcome.Status is ClusterCallStatus.Lost or ClusterCallStatus.ArgumentLost)
        {
            Interlocked.Increment(ref _lost);
        }
    }

    private static ClusterArgument Json<T>(T value) => ClusterArgument.FromJson(JsonSerializer.SerializeToUtf8Bytes(value));

    private sealed class Node(int index, Node? left, Node? right)
    {
        public int Index { get; } = index;

        public Node? Left { get; } = left;

        public Node? Right { get; } = right;

        public bool IsLeaf => Left is null;

        public ClusterCallId Id { get; set; }

        public Task<ClusterCallOutcome>? Run { get; set; }

        public int Counted;
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
        bool kill = victim is not null;
        using var client = await LocalCluster.StartClientAsync(layout, silos);
        await using var dispatcher = new ClusterDispatcher(
            client.Services.GetRequiredService<IClusterClient>(),
            new Pipelines.Orleans.OrleansExecutorOptions { ShardCount = 32, PollInterval = TimeSpan.FromSeconds(2) });

        string expected = Jobs.LocalRoot(leaves);
        var demo = new MerkleDemo(dispatcher, workMilliseconds);
        Console.WriteLine($"Merkle root of {leaves} chunks: {leaves} DigestChunk calls, {leaves - 1} Combine calls whose arguments are the children's futures.");
        var clock = Stopwatch.StartNew();
        Task<string> run = demo.RunAsync(leaves);
        bool killed = false;
        bool interactive = !Console.IsOutputRedirected;
        TimeSpan lastLine = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(200));
            if (kill && !killed && demo.LeavesDone >= leaves * 2 / 5)
            {
                victim!.Kill();
                killed = true;
                Console.WriteLine(interactive ? string.Empty : null);
                Console.WriteLine($"  >>> killed {victim.Name} (pid {victim.Process.Id}) at {clock.Elapsed.TotalSeconds:F1} s, with {demo.LeavesDone}/{leaves} leaves done");
            }

            if (interactive || clock.Elapsed - lastLine >= TimeSpan.FromSeconds(1))
            {
                lastLine = clock.Elapsed;
                string line = Progress(demo, leaves, names, clock.Elapsed);
                Console.Write(interactive ? $"\r{line,-110}" : line + Environment.NewLine);
            }
        }

        string root = await run;
        Console.WriteLine(interactive ? $"\r{Progress(demo, leaves, names, clock.Elapsed),-110}" : Progress(demo, leaves, names, clock.Elapsed));
        Console.WriteLine($"Root {root[..16]}… in {clock.Elapsed.TotalSeconds:F1} s; {(root == expected ? "matches" : "DOES NOT MATCH")} the locally computed root.");
        Console.WriteLine($"Client read {dispatcher.ResultReads} value(s); every other digest went silo to silo. Lost outcomes: {demo.Lost}, re-run: {demo.Reruns}, " +
            $"redelivered after rejection: {dispatcher.Redeliveries}.");
        return root == expected ? 0 : 1;
    }

    private static string Progress(MerkleDemo demo, int leaves, Dictionary<string, string> names, TimeSpan elapsed)
    {
        int done = demo.LeavesDone + demo.InnerDone;
        int total = 2 * leaves - 1;
        int width = 30;
        int filled = (int)Math.Min(width, (long)width * done / total);
        string bySilo = string.Join("  ", demo.CallsBySilo.OrderBy(p => p.Key).Select(p => $"{(names.TryGetValue(p.Key, out string? n) ? n : p.Key)}: {p.Value}"));
        return $"  [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} calls  {bySilo}  lost: {demo.Lost} re-run: {demo.Reruns}  {elapsed.TotalSeconds:F1} s";
    }
}
