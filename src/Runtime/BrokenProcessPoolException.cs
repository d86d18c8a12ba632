using System;

namespace Pipelines;

/// <summary>
/// A <see cref="ProcessPoolExecutor"/> worker process died while it ran a call (Python's <c>BrokenProcessPool</c>):
/// it crashed, called <see cref="Environment.Exit(int)"/>, overflowed its stack or was killed from outside.
/// The call that was running fails with it; by default the pool replaces the worker and keeps going.
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
        : base(message)
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
}
