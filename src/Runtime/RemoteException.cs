using System;

namespace Pipelines;

/// <summary>
/// An exception thrown by a call that ran in another process (a <see cref="ProcessPoolExecutor"/> worker). The
/// original exception cannot cross the process boundary, so this one carries its type name, message and stack trace.
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
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(remoteTypeName);
        RemoteTypeName = remoteTypeName;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception's type in the other process, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The stack trace the exception had in the other process, or <see langword="null"/>.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The remote type, message and stack trace, then this exception's own local stack trace.</summary>
    public override string ToString() =>
        $"{GetType().FullName}: {RemoteTypeName}: {Message}{Environment.NewLine}" +
        (RemoteStackTrace is null ? string.Empty : $"{RemoteStackTrace}{Environment.NewLine}   --- End of remote stack trace ---{Environment.NewLine}") +
        StackTrace;
}
