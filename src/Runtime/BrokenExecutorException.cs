using System;

namespace Pipelines;

/// <summary>
/// The executor can no longer run work: a worker initializer threw, or (for process pools) a worker died.
/// Pending and later submits fail with it (Python's <c>BrokenExecutor</c>).
/// </summary>
public class BrokenExecutorException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public BrokenExecutorException()
        : base("The executor is broken and can no longer run work.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokenExecutorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that broke the executor.</summary>
    public BrokenExecutorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A new exception of the same type and cause with <paramref name="message"/>: each call that fails because the executor broke gets its own instance, as in CPython.</summary>
    internal virtual BrokenExecutorException WithMessage(string message) => new(message, InnerException);
}
