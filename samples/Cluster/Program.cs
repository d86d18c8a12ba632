// Pipelines on an Orleans cluster, on one machine:
//   dotnet run -c Release --project samples/Cluster                  two silo processes + a client: a Merkle-tree pipeline whose
//                                                                    inner calls take futures as arguments; silo-B is killed mid-run
//   dotnet run -c Release --project samples/Cluster -- digest [DIR] [--cluster]   samples/FileDigest's job on a thread pool, or with
//                                                                    --cluster on two silo processes: only the executor's construction differs
//   dotnet run -c Release --project samples/Cluster -- bench [--quick]   per-call overhead and throughput beside the thread and process pools
//   dotnet run -c Release --project samples/Cluster -- silo NAME INDEX BASEPORT   one silo (the demo starts these itself)
//   dotnet run -c Release --project samples/Cluster -- client [--silos N]         the pipeline on a cluster that is already running
// Options: --leaves N (default 256), --work MS per leaf (default 40), --base-port P (default 22000), --no-kill,
//   --redis CONNECTION (Redis membership instead of localhost clustering: no primary silo; silos on other machines add
//   --advertise THEIR-IP). Pointing it at a real cluster is configuration only: README.md, "Running on a cluster".
using System.Globalization;
using System.Net;
using ClusterSample;

string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
try
{
    string? redis = Text("--redis");
    IPAddress? advertise = Text("--advertise") is { } ip ? IPAddress.Parse(ip) : null;
    var layout = new ClusterLayout(Option("--base-port", 22000), redis, advertise);
    return mode switch
    {
        "demo" => await DemoCommand.RunAsync(layout, Option("--leaves", 256), Option("--work", 40), kill: !args.Contains("--no-kill")),
        "client" => await DemoCommand.RunPipelineAsync(layout, Option("--silos", 2), Option("--leaves", 256), Option("--work", 40), new(), victim: null),
        "digest" => await DigestCommand.RunAsync(layout, Path.GetFullPath(args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : "."), onCluster: args.Contains("--cluster")),
        "bench" => await BenchCommand.RunAsync(layout, quick: args.Contains("--quick")),
        "silo" when args.Length >= 4 => await LocalCluster.RunSiloAsync(args[1], Parse(args[2], "INDEX", minimum: 0), layout with { BasePort = Parse(args[3], "BASEPORT") }),
        _ => Usage(),
    };
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

int Option(string name, int fallback) => Text(name) is { } text ? Parse(text, name) : fallback;

string? Text(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static int Parse(string text, string name, int minimum = 1) =>
    int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
        ? value
        : throw new InvalidOperationException($"{name} must be an integer of at least {minimum}, not '{text}'.");

static int Usage()
{
    Console.Error.WriteLine("usage: Cluster [demo] [--leaves N] [--work MS] [--base-port P] [--no-kill] [--redis CONN] | client [--silos N] [--redis CONN] | " +
        "digest [DIR] [--cluster] | bench [--quick] [--base-port P] | silo NAME INDEX BASEPORT [--redis CONN] [--advertise IP]");
    return 2;
}
