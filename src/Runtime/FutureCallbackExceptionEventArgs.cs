using System;

namespace Pipelines;

/// <summary>Describes a done-callback that threw.</summary>
public sealed class FutureCallbackExceptionEventArgs : EventArgs
{
    internal FutureCallbackExceptionEventArgs(Future future, Exception exception)
    {
        Future = future;
        Exception = exception;
    }

    /// <summary>The future whose callback threw.</summary>
    public Future Future { get; }

    /// <summary>What the callback threw.</summary>
    public Exception Exception { get; }
}
