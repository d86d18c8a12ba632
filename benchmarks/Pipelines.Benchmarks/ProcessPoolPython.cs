using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Pipelines.Benchmarks;

/// <summary>
/// The process-pool reference: CPython's <c>ProcessPoolExecutor</c> on the same shapes — one <c>submit(inc)</c> at a time,
/// a burst of submits, and <c>map(inc, range(n), chunksize=c)</c> at several chunk sizes — run as a child process.
/// </summary>
public static class ProcessPoolPython
{
    private const string Script = """
import sys, time
from concurrent.futures import ProcessPoolExecutor

def inc(x):
    return x + 1

def best(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return min(times)

if __name__ == '__main__':
    workers, round_trips, burst, items, reps = (int(a) for a in sys.argv[1:6])
    with ProcessPoolExecutor(max_workers=workers) as ex:
        assert sum(ex.map(inc, range(1000), chunksize=10)) == sum(range(1, 1001))   # starts the workers
        print("roundtrip", best(lambda: [ex.submit(inc, i).result() for i in range(round_trips)], reps) / round_trips)
        print("burst", best(lambda: [f.result() for f in [ex.submit(inc, i) for i in range(burst)]], reps) / burst)
        for chunksize in (1, 100, 1000, 10000):
            n = items // 20 if chunksize == 1 else items
            ns = best(lambda: sum(ex.map(inc, range(n), chunksize=chunksize)), reps)
            print(f"map{chunksize}", n / ns * 1e9)
    print("version", sys.version.split()[0])
""";

    /// <summary>
    /// Runs the script: round trip and burst in ns per call, <c>map{chunksize}</c> in items per second; null when python3 is
    /// absent or fails (the reason in <paramref name="note"/>).
    /// </summary>
    public static Dictionary<string, double>? Run(int workers, int roundTrips, int burst, int items, int reps, out string version, out string note)
    {
        version = "?";
        Dictionary<string, string>? lines = PythonScript.Run(
            Script,
            "pipelines-bench-pp",
            new[] { workers, roundTrips, burst, items, reps }.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            "the Python process-pool reference is skipped",
            out note);
        if (lines is null)
        {
            return null;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string name, string value) in lines)
        {
            if (name == "version")
            {
                version = value;
            }
            else
            {
                values[name] = double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return values;
    }
}
