using System;
using Pipelines.Remoting;

namespace Pipelines.ProcessPool;

/// <summary>
/// A <see cref="RemoteExceptionRecord"/> on the wire: its type name, message, parameter name (null outside the argument
/// family), stack trace, then a byte: 1 if its inner exception follows as another record. At most
/// <see cref="RemoteExceptionRecord.MaxDepth"/> records are chained; the parent turns them back into exceptions with a
/// <see cref="RemoteExceptionFactory"/> and never trusts the names further than that.
/// </summary>
internal static class ExceptionRecords
{
    public static void Write(FrameWriter writer, Exception exception)
    {
        for (RemoteExceptionRecord? record = RemoteExceptionRecord.From(exception); record is not null; record = record.Inner)
        {
            writer.WriteString(record.TypeName);
            writer.WriteString(record.Message);
            writer.WriteString(record.ParamName);
            writer.WriteString(record.StackTrace);
            writer.WriteByte(record.Inner is null ? (byte)0 : (byte)1);
        }
    }

    /// <exception cref="FrameException">The record does not fit the frame, or chains deeper than <see cref="RemoteExceptionRecord.MaxDepth"/>.</exception>
    public static Exception Read(ref FrameReader reader, RemoteExceptionFactory factory) => factory.Create(ReadRecord(ref reader, depth: 0));

    private static RemoteExceptionRecord ReadRecord(ref FrameReader reader, int depth)
    {
        if (depth >= RemoteExceptionRecord.MaxDepth)
        {
            throw new FrameException($"an exception record chains more than {RemoteExceptionRecord.MaxDepth} inner exceptions");
        }

        string typeName = reader.ReadString("exception type") ?? throw new FrameException("an exception record has no type name");
        string message = reader.ReadString("exception message") ?? string.Empty;
        string? paramName = reader.ReadString("exception parameter name");
        string? stackTrace = reader.ReadString("exception stack trace");
        RemoteExceptionRecord? inner = reader.ReadByte("inner-exception flag") switch
        {
            0 => null,
            1 => ReadRecord(ref reader, depth + 1),
            byte flag => throw new FrameException($"an exception record's inner-exception flag is {flag}"),
        };
        return new RemoteExceptionRecord(typeName, message, paramName, stackTrace, inner);
    }
}
