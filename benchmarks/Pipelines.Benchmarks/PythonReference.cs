using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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
    public static Dictionary<string, string>? Run(int fanOut, int treeLeaves, int reps, out string note) =>
        PythonScript.Run(
            Script,
            "pipelines-bench",
            new[] { Environment.ProcessorCount, fanOut, treeLeaves, reps }.Select(v => v.ToString(CultureInfo.InvariantCulture)),
            "Python reference skipped",
            out note);
}
