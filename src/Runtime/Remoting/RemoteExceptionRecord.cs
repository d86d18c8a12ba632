using System;

namespace Pipelines.Remoting;

/// <summary>
/// An exception as it travels from where a call ran back to where it was submitted: its type name, message, parameter
/// name, stack trace and inner exception, at most <see cref="MaxDepth"/> records deep. <see cref="From"/> takes an
/// exception apart where it was thrown; <see cref="RemoteExceptionFactory.Create(RemoteExceptionRecord)"/> builds it
/// again. An executor of your own writes these fields in its own wire format, as the process pool and the Orleans
/// executor do.
/// </summary>
/// <remarks>Immutable. Nothing in a record is trusted further than <see cref="RemoteExceptionFactory"/> trusts a type name.</remarks>
public sealed class RemoteExceptionRecord
{
    /// <summary>How many records a chain holds at most: <see cref="From"/> drops the inner exceptions beyond.</summary>
    public const int MaxDepth = 8;

    /// <summary>Creates a record, as read from the wire.</summary>
    /// <param name="typeName">The exception's type name (<see cref="RemoteExceptionFactory.TypeNameOf"/>).</param>
    /// <param name="message">Its message.</param>
    /// <param name="paramName">Its <see cref="ArgumentException.ParamName"/>, for the argument family; else null.</param>
    /// <param name="stackTrace">Its stack trace where it was thrown, if any.</param>
    /// <param name="inner">Its inner exception's record, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeName"/> or <paramref name="message"/> is null.</exception>
    public RemoteExceptionRecord(string typeName, string message, string? paramName = null, string? stackTrace = null, RemoteExceptionRecord? inner = null)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(message);
        TypeName = typeName;
        Message = message;
        ParamName = paramName;
        StackTrace = stackTrace;
        Inner = inner;
    }

    /// <summary>The exception's type name (<see cref="RemoteExceptionFactory.TypeNameOf"/>).</summary>
    public string TypeName { get; }

    /// <summary>The exception's message.</summary>
    public string Message { get; }

    /// <summary>The <see cref="ArgumentException.ParamName"/> of the argument family; null otherwise.</summary>
    public string? ParamName { get; }

    /// <summary>The stack trace where the exception was thrown, if any.</summary>
    public string? StackTrace { get; }

    /// <summary>The inner exception's record, if any.</summary>
    public RemoteExceptionRecord? Inner { get; }

    /// <summary>The record of <paramref name="exception"/> and its inner exceptions, at most <see cref="MaxDepth"/> of them in all.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static RemoteExceptionRecord From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Capture(exception, depth: 0);
    }

    private static RemoteExceptionRecord Capture(Exception exception, int depth) => new(
        RemoteExceptionFactory.TypeNameOf(exception.GetType()),
        exception.Message ?? string.Empty, // an override may break the annotation
        (exception as ArgumentException)?.ParamName,
        exception.StackTrace,
        exception.InnerException is { } inner && depth + 1 < MaxDepth ? Capture(inner, depth + 1) : null);
}
