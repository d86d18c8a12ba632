using System;

namespace Pipelines;

/// <summary>Work was submitted to an executor after <see cref="IExecutor.Shutdown(bool, bool)"/>.</summary>
public class ExecutorShutdownException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ExecutorShutdownException()
        : base("The executor has been shut down.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExecutorShutdownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ExecutorShutdownException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
