using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Remoting;
using Pipelines.ProcessPool;

namespace Pipelines;

// How the pool breaks, as CPython's does: the call whose worker died gets the cause, every other queued and running call
// fails with its own BrokenProcessPoolException (same message), the other workers are ended, and later submits throw
// BrokenProcessPoolException naming the cause. And what the messages say about a worker's death.
public sealed partial class ProcessPoolExecutor
{
    /// <summary>A worker's initializer threw: the pool is broken, as CPython's (the worker exits by itself).</summary>
    internal void OnInitializerFailed(WorkerHandle worker, Exception exception)
    {
        ActiveCall? assigned = worker.KillAndTakeCall();
        assigned?.Release();
        BreakPool(
            new BrokenProcessPoolException(
                $"The initializer {Initializer?.MethodId} of '{Name}' threw in worker process {worker.ProcessId}: {exception.GetType().FullName}: {exception.Message} The pool is broken.",
                exception,
                exitCode: null,
                processId: worker.ProcessId),
            assigned);
    }

    /// <summary>Breaks the pool with <paramref name="cause"/>, which <paramref name="causeCall"/> (the call that was running, if any) fails with.</summary>
    private void BreakPool(BrokenProcessPoolException cause, ActiveCall? causeCall)
    {
        Break(cause);
        BrokenExecutorException broken = BrokenReason!; // the first cause, if another thread broke the pool first
        List<IRemoteWorkItem> queued;
        WorkerHandle[] others;
        lock (_gate)
        {
            queued = TakeQueued();
            others = _live.ToArray();
            _live.Clear();
            _idle.Clear();
        }

        causeCall?.Item.SetException(cause);
        foreach (WorkerHandle other in others)
        {
            if (other.KillAndTakeCall() is { } call)
            {
                call.Release();
                call.Item.SetException(broken.WithMessage(broken.Message));
            }
        }

        foreach (IRemoteWorkItem item in queued)
        {
            item.SetException(broken.WithMessage(broken.Message));
        }
    }

    /// <summary>What to tell the call a dead worker was running, and the pool if it breaks.</summary>
    private BrokenProcessPoolException DeathException(WorkerHandle worker, ActiveCall? running, int exitCode, string? failure, string? note)
    {
        string who = $"A worker process (pid {worker.ProcessId}) of '{Name}'";
        string call = running is null ? string.Empty : $" while running {running.MethodId}";
        string how;
        if (failure is not null)
        {
            how = $"{who} {failure}{call}; the pool killed it.";
        }
        else if (OperatingSystem.IsWindows() || exitCode <= 128 || exitCode > 128 + 64)
        {
            how = exitCode == WorkerMain.NotAWorkerExitCode && !worker.IsReady
                ? $"{who} refused to serve: its pipe did not carry the pool's token (is ProcessPoolOptions.WorkerExecutable a Pipelines application started only by the pool?)."
                : $"{who} died with exit code {exitCode}{call}{(note is null ? string.Empty : $" ({note})")}.";
        }
        else
        {
            how = $"{who} was killed by signal {exitCode - 128}{SignalName(exitCode - 128)}{call}{(note is null ? string.Empty : $" ({note})")}.";
        }

        if (!worker.IsReady && failure is null && exitCode is >= 0 and <= 128 && exitCode != WorkerMain.NotAWorkerExitCode)
        {
            how += $" It exited before it started serving: a worker is this application started again ('{_launch.FileName}'), and it must call " +
                "ProcessPoolExecutor.RunWorkerIfRequested() before anything else (the Pipelines generator does it from a module initializer in " +
                "executables that declare [Submittable] methods).";
        }

        bool breaks = BreakOnWorkerDeath || !worker.IsReady;
        return new BrokenProcessPoolException(
            how + (breaks ? " The pool is broken." : " The pool replaces it."),
            innerException: null,
            exitCode: exitCode >= 0 ? exitCode : null,
            processId: worker.ProcessId);
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        6 => " (SIGABRT, e.g. a stack overflow)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
