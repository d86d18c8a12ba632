using System;
using Pipelines.Remoting;

namespace Pipelines.ProcessPool;

/// <summary>
/// An exception on the wire: its type name (<see cref="RemoteExceptionFactory.TypeNameOf"/>), message, parameter name
/// (null outside the argument family), stack trace, then a byte: 1 if its inner exception follows as another record.
/// At most <see cref="MaxDepth"/> records are chained; the parent turns them back into exceptions with a
/// <see cref="RemoteExceptionFactory"/> and never trusts the names further than that.
/// </summary>
internal static class ExceptionRecords
{
    /// <summary>How many nested inner exceptions travel (the rest of the chain is dropped).</summary>
    public const int MaxDepth = 8;

    public static void Write(FrameWriter writer, Exception exception)
    {
        Exception? current = exception;
        for (int depth = 0; current is not null; depth++)
        {
            writer.WriteString(RemoteExceptionFactory.TypeNameOf(current.GetType()));
            writer.WriteString(current.Message);
            writer.WriteString((current as ArgumentException)?.ParamName);
            writer.WriteString(current.StackTrace);
            current = depth + 1 < MaxDepth ? current.InnerException : null;
            writer.WriteByte(current is null ? (byte)0 : (byte)1);
        }
    }

    /// <exception cref="FrameException">The record does not fit the frame, or chains deeper than <see cref="MaxDepth"/>.</exception>
    public static Exception Read(ref FrameReader reader, RemoteExceptionFactory factory, int depth = 0)
    {
        if (depth >= MaxDepth)
        {
            throw new FrameException($"an exception record chains more than {MaxDepth} inner exceptions");
        }

        string typeName = reader.ReadString("exception type") ?? throw new FrameException("an exception record has no type name");
        string message = reader.ReadString("exception message") ?? string.Empty;
        string? paramName = reader.ReadString("exception parameter name");
        string? stackTrace = reader.ReadString("exception stack trace");
        Exception? inner = reader.ReadByte("inner-exception flag") switch
        {
            0 => null,
            1 => Read(ref reader, factory, depth + 1),
            byte flag => throw new FrameException($"an exception record's inner-exception flag is {flag}"),
        };
        return factory.Create(typeName, message, paramName, stackTrace, inner);
    }
}
