using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// Finishes accepted work when the process exits, as Python does at interpreter exit: otherwise background workers
/// just die with <c>Main</c>, and calls queued or running then are lost. On <see cref="AppDomain.ProcessExit"/>, every
/// executor with <see cref="Executor.FinishesWorkAtExit"/> stops accepting work, and the exit waits until each has
/// finished what it accepted.
/// </summary>
/// <remarks>
/// The wait ends early only when no call at all finishes for a while (30 s by default; AppContext data
/// <c>Pipelines.FinishWorkAtExitStallSeconds</c>): the one case .NET adds to Python's is <see cref="Environment.Exit"/>
/// called from inside a call, which blocks that call until the exit handlers return — waiting for it would never end.
/// The AppContext switch <c>Pipelines.FinishWorkAtExit</c> set to false turns the whole drain off.
/// </remarks>
internal static class ProcessExitDrain
{
    private const int PollMilliseconds = 100;
    private static readonly object s_lock = new();
    private static readonly List<WeakReference<Executor>> s_executors = new();
    private static bool s_hooked;

    public static void Register(Executor executor)
    {
        lock (s_lock)
        {
            if (!s_hooked)
            {
                if (AppContext.TryGetSwitch("Pipelines.FinishWorkAtExit", out bool enabled) && !enabled)
                {
                    return;
                }

                AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
                s_hooked = true;
            }

            // Prune as we go, so a program that makes many short-lived executors keeps a short list.
            if (s_executors.Count >= 16 && (s_executors.Count & (s_executors.Count - 1)) == 0)
            {
                s_executors.RemoveAll(reference => !reference.TryGetTarget(out Executor? e) || (e.IsShutdown && e.OutstandingCount == 0));
            }

            s_executors.Add(new WeakReference<Executor>(executor));
        }
    }

    private static void OnProcessExit(object? sender, EventArgs e)
    {
        var executors = new List<Executor>();
        lock (s_lock)
        {
            foreach (WeakReference<Executor> reference in s_executors)
            {
                if (reference.TryGetTarget(out Executor? executor) && executor.FinishesWorkAtExit)
                {
                    executors.Add(executor);
                }
            }
        }

        // Stop all first, then wait: a call on one may wait for work on another.
        foreach (Executor executor in executors)
        {
            executor.BeginShutdown(cancelFutures: false);
        }

        TimeSpan stall = TimeSpan.FromSeconds(AppContext.GetData("Pipelines.FinishWorkAtExitStallSeconds") switch
        {
            int seconds => seconds,
            string text when int.TryParse(text, out int seconds) => seconds,
            _ => 30,
        });
        foreach (Executor executor in executors)
        {
            WaitWhileProgressing(executor, stall);
        }
    }

    private static void WaitWhileProgressing(Executor executor, TimeSpan stall)
    {
        int outstanding = executor.OutstandingCount;
        long lastProgress = Stopwatch.GetTimestamp();
        while (!executor.WaitUntilDrained(PollMilliseconds))
        {
            int now = executor.OutstandingCount;
            if (now != outstanding)
            {
                outstanding = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) >= stall)
            {
                CallbackFailures.WriteError(
                    $"Pipelines: the process is exiting and {now} call(s) of '{executor.Name}' made no progress for {stall.TotalSeconds:0} s " +
                    "(Environment.Exit called from inside a call?); not waiting for them.");
                return;
            }
        }
    }
}
