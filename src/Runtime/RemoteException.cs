using System;

namespace Pipelines;

/// <summary>
/// An exception thrown by a call that ran in another process (a <see cref="ProcessPoolExecutor"/> worker, a silo)
/// whose type is not rebuilt here: unknown in this process, not allowed (<see cref="Remoting.RemoteExceptionFactory"/>),
/// or without a usable constructor. It carries the remote type name, message and stack trace, and the remote inner
/// exception when there was one.
/// </summary>
public sealed class RemoteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteException()
        : this("A call in another process threw.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RemoteException(string message)
        : base(message) => RemoteTypeName = typeof(Exception).FullName!;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public RemoteException(string message, Exception? innerException)
        : base(message, innerException) => RemoteTypeName = typeof(Exception).FullName!;

    /// <summary>Creates the exception from what the other process reported.</summary>
    /// <param name="remoteTypeName">The full name of the exception's type in the other process, e.g. <c>System.ArgumentException</c>.</param>
    /// <param name="message">The exception's message.</param>
    /// <param name="remoteStackTrace">The exception's stack trace in the other process, if it had one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="remoteTypeName"/> is null.</exception>
    public RemoteException(string remoteTypeName, string message, string? remoteStackTrace)
        : this(remoteTypeName, message, remoteStackTrace, innerException: null)
    {
    }

    /// <summary>Creates the exception from what the other process reported, with its inner exception (rebuilt here).</summary>
    /// <param name="remoteTypeName">The full name of the exception's type in the other process, e.g. <c>System.ArgumentException</c>.</param>
    /// <param name="message">The exception's message.</param>
    /// <param name="remoteStackTrace">The exception's stack trace in the other process, if it had one.</param>
    /// <param name="innerException">The remote inner exception, rebuilt here, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="remoteTypeName"/> is null.</exception>
    public RemoteException(string remoteTypeName, string message, string? remoteStackTrace, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(remoteTypeName);
        RemoteTypeName = remoteTypeName;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception's type in the other process, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The stack trace the exception had in the other process, or <see langword="null"/>.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The remote type, message, inner exception and stack trace, then this exception's own local stack trace.</summary>
    public override string ToString() =>
        $"{GetType().FullName}: {RemoteTypeName}: {Message}" +
        (InnerException is null ? string.Empty : $" ---> {InnerException}{Environment.NewLine}   --- End of inner exception stack trace ---") +
        Environment.NewLine +
        (RemoteStackTrace is null ? string.Empty : $"{RemoteStackTrace}{Environment.NewLine}   --- End of remote stack trace ---{Environment.NewLine}") +
        StackTrace;
}
