// Quickstart: two slow calls run in parallel, and a third adds their results
// as soon as both are ready — no thread sits waiting for them.
using System.Diagnostics;
using Pipelines;

var clock = Stopwatch.StartNew();
await using var executor = new ThreadPoolExecutor(maxWorkers: 4);

Future<int> a = executor.SubmitSlowFunction(2);   // starts now, takes 2 s
Future<int> b = executor.SubmitSlowFunction(5);   // starts now too, takes 5 s
Future<int> c = executor.SubmitAdd(a, b);         // runs once a and b are done
Future<int> d = c.ThenAdd(10);                    // Add(c's result, 10)

Console.WriteLine("Submitted SlowFunction(2), SlowFunction(5), Add(a, b) and .ThenAdd(10); waiting...");
Console.WriteLine($"a = {await a}  (after {clock.Elapsed.TotalSeconds:0.0} s)");
Console.WriteLine($"b = {await b}  (after {clock.Elapsed.TotalSeconds:0.0} s)");
Console.WriteLine($"c = Add(a, b) = {await c}");
Console.WriteLine($"d = c.ThenAdd(10) = {await d}");
Console.WriteLine($"Total: {clock.Elapsed.TotalSeconds:0.0} s, not 7 s: SlowFunction(2) and SlowFunction(5) ran in parallel.");

/// <summary>The work to run: ordinary methods, marked <see cref="SubmittableAttribute"/>.</summary>
public static partial class Jobs
{
    /// <summary>Sleeps, then returns how long it slept.</summary>
    [Submittable]
    public static int SlowFunction(int seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return seconds;
    }

    /// <summary>Adds two numbers.</summary>
    [Submittable]
    public static int Add(int a, int b) => a + b;
}
