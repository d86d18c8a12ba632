using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Pipelines;

// Usage: ExitProbe finish | opt-out | exit-inside-a-call. Prints "done N": how many calls finished before the exit.
// ExitProbe unobserved | unobserved-handled: discards a faulted future (its failure moved on to two dependents), then
// collects it; "unobserved-handled" subscribes Future.UnobservedException first and prints "handled {message}".
string mode = args.Length > 0 ? args[0] : "finish";
if (mode is "unobserved" or "unobserved-handled")
{
    if (mode == "unobserved-handled")
    {
        Future.UnobservedException += (_, e) => Console.WriteLine($"handled {e.Exception.Message}");
    }

    using (var failing = new ThreadPoolExecutor(1) { FinishesWorkAtExit = false })
    {
        DiscardAFailure(failing);
    }

    for (int i = 0; i < 3; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    return 0;
}

AppContext.SetData("Pipelines.FinishWorkAtExitStallSeconds", 1); // the exit-inside-a-call case ends after 1 s, not 30
int finished = 0;
var pool = new ThreadPoolExecutor(1) { FinishesWorkAtExit = mode != "opt-out" };

// Subscribed after the executor, so it runs after the library's own exit handler has drained the pool.
AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.WriteLine($"done {Volatile.Read(ref finished)}");

if (mode == "exit-inside-a-call")
{
    // A call that ends the process: the exit cannot wait for the call it is made from, only for the others.
    _ = pool.Submit(() => { Thread.Sleep(100); Interlocked.Increment(ref finished); });
    _ = pool.Submit(() => Environment.Exit(0));
    Thread.Sleep(Timeout.Infinite);
}

for (int i = 0; i < 5; i++)
{
    // Opted out, the exit must not wait: these would never finish.
    _ = pool.Submit(() => { Thread.Sleep(mode == "opt-out" ? Timeout.Infinite : 100); Interlocked.Increment(ref finished); });
}

return 0; // Main returns with five calls queued: they run before the process ends (unless opted out)

[MethodImpl(MethodImplOptions.NoInlining)]
static void DiscardAFailure(ThreadPoolExecutor pool)
{
    Future<int> failed = pool.Submit(Fail);
    Futures.Wait([failed.Then(x => x + 1), failed.Then(x => x + 2)]); // waiting is not observing
}

static int Fail() => throw new InvalidOperationException("nobody looked at this");
