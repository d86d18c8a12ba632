using System;

namespace Pipelines;

/// <summary>Describes a faulted future that was collected without anyone observing its exception (<see cref="Future.UnobservedException"/>).</summary>
public sealed class UnobservedFutureExceptionEventArgs : EventArgs
{
    internal UnobservedFutureExceptionEventArgs(Exception exception, string future)
    {
        Exception = exception;
        Future = future;
    }

    /// <summary>The exception the call threw, the original instance.</summary>
    public Exception Exception { get; }

    /// <summary>What the future was, e.g. <c>Boom(Faulted)</c> (the future itself is gone).</summary>
    public string Future { get; }
}
