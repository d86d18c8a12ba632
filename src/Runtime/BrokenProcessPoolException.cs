using System;

namespace Pipelines;

/// <summary>
/// A <see cref="ProcessPoolExecutor"/> worker process died while it ran a call (Python's <c>BrokenProcessPool</c>):
/// it crashed, called <see cref="Environment.Exit(int)"/>, overflowed its stack, was killed from outside, or broke the
/// pipe protocol (a malformed, cut-off or oversized message: the pool then kills it). The call that was running fails
/// with it; by default the pool replaces the worker and keeps going. A pool that broke (its initializer threw, a worker
/// could not start, or any worker died with <c>breakOnWorkerDeath</c>) fails every queued and running call and every
/// later submit with one, each call with its own instance.
/// </summary>
public class BrokenProcessPoolException : BrokenExecutorException
{
    /// <summary>Creates the exception.</summary>
    public BrokenProcessPoolException()
        : base("A worker process of the process pool died.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokenProcessPoolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public BrokenProcessPoolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a worker that exited.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="exitCode">The worker process's exit code, if known.</param>
    /// <param name="processId">The worker's process id, if known.</param>
    public BrokenProcessPoolException(string message, int? exitCode, int? processId)
        : this(message, innerException: null, exitCode, processId)
    {
    }

    /// <summary>Creates the exception for a worker that exited or failed, with what failed in it (an initializer's exception).</summary>
    internal BrokenProcessPoolException(string message, Exception? innerException, int? exitCode, int? processId)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        ProcessId = processId;
        if (exitCode is int code)
        {
            Data["ExitCode"] = code;
        }
    }

    /// <summary>
    /// The exit code of the worker process that died, if known. On Unix a process killed by a signal reports
    /// 128 + the signal number (137 for SIGKILL, 134 for SIGABRT, which a stack overflow raises).
    /// </summary>
    public int? ExitCode { get; }

    /// <summary>The process id of the worker that died, if known.</summary>
    public int? ProcessId { get; }

    internal override BrokenExecutorException WithMessage(string message) => new BrokenProcessPoolException(message, InnerException, ExitCode, ProcessId);
}
