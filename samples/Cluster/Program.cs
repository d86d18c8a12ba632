// Pipelines on an Orleans cluster (issue 15), on one machine:
//   dotnet run -c Release --project samples/Cluster                  two silo processes + a client: a Merkle-tree pipeline whose
//                                                                    inner calls take futures as arguments; silo-B is killed mid-run
//   dotnet run -c Release --project samples/Cluster -- bench [--quick]   per-call overhead and throughput beside the thread and process pools
//   dotnet run -c Release --project samples/Cluster -- silo NAME INDEX BASEPORT   one silo (the demo starts these itself)
// Options: --leaves N (default 256), --work MS per leaf (default 40), --base-port P (default 22000), --no-kill.
// Pointing it at a real cluster is configuration only: see docs/drafts/orleans.md, "Running on a cluster".
using System.Globalization;
using ClusterSample;

string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
int basePort = Option("--base-port", 22000);
try
{
    return mode switch
    {
        "demo" => await DemoCommand.RunAsync(basePort, Option("--leaves", 256), Option("--work", 40), kill: !args.Contains("--no-kill")),
        "bench" => await BenchCommand.RunAsync(basePort, quick: args.Contains("--quick")),
        "silo" when args.Length >= 4 => await LocalCluster.RunSiloAsync(args[1], Parse(args[2], "INDEX", minimum: 0), new ClusterLayout(Parse(args[3], "BASEPORT"))),
        _ => Usage(),
    };
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? Parse(args[at + 1], name) : fallback;
}

static int Parse(string text, string name, int minimum = 1) =>
    int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
        ? value
        : throw new InvalidOperationException($"{name} must be an integer of at least {minimum}, not '{text}'.");

static int Usage()
{
    Console.Error.WriteLine("usage: Cluster [demo] [--leaves N] [--work MS] [--base-port P] [--no-kill] | bench [--quick] [--base-port P] | silo NAME INDEX BASEPORT");
    return 2;
}
