using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Pipelines.Benchmarks;

/// <summary>The seed reference: CPython's concurrent.futures doing the fan-out and the tree, run as a child process.</summary>
public static class PythonReference
{
    private const string Script = """
import sys, threading, time
from concurrent.futures import ThreadPoolExecutor, Future

def inc(x):
    return x + 1

def add(a, b):
    return a + b

def fanout(ex, n):
    futures = [ex.submit(inc, i) for i in range(n)]
    return sum(f.result() for f in futures)

def submit_add(ex, fa, fb):
    # Futures as arguments, without blocking a worker: submit add when both inputs are done.
    out = Future()
    state = [2]
    lock = threading.Lock()
    def forward(inner):
        out.set_result(inner.result())
    def on_done(_):
        with lock:
            state[0] -= 1
            last = state[0] == 0
        if last:
            ex.submit(add, fa.result(), fb.result()).add_done_callback(forward)
    fa.add_done_callback(on_done)
    fb.add_done_callback(on_done)
    return out

def tree(ex, leaves):
    level = []
    for i in range(leaves):
        f = Future()
        f.set_result(i)
        level.append(f)
    while len(level) > 1:
        nxt = [submit_add(ex, level[2 * i], level[2 * i + 1]) for i in range(len(level) // 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].result()

def best(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return min(times)

cores, n, leaves, reps = (int(a) for a in sys.argv[1:5])
with ThreadPoolExecutor(max_workers=cores) as ex:
    assert fanout(ex, 1000) == sum(range(1, 1001))
    assert tree(ex, 1024) == sum(range(1024))
    print("fanout", best(lambda: fanout(ex, n), reps) / n)
    print("tree", best(lambda: tree(ex, leaves), reps) / leaves)
print("version", sys.version.split()[0])
""";

    /// <summary>Runs the script; null when python3 is absent (the reason in <paramref name="note"/>).</summary>
    public static Dictionary<string, string>? Run(int fanOut, int treeLeaves, int reps, out string note)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pipelines-bench-{Environment.ProcessId}.py");
        File.WriteAllText(path, Script);
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { path, Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), fanOut.ToString(CultureInfo.InvariantCulture), treeLeaves.ToString(CultureInfo.InvariantCulture), reps.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                note = $"python3 not found ({ex.Message}); Python reference skipped";
                return null;
            }

            using (process)
            {
                string output = process.StandardOutput.ReadToEnd();
                string error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    note = $"python3 failed (exit {process.ExitCode}): {error.Trim()}";
                    return null;
                }

                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    string[] parts = line.Split(' ', 2);
                    values[parts[0]] = parts.Length > 1 ? parts[1] : "";
                }

                note = "";
                return values;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
