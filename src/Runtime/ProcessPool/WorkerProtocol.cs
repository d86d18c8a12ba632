using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Pipelines.ProcessPool;

/// <summary>What a frame carries. Parent to worker: <see cref="Hello"/>, <see cref="Call"/>, <see cref="Exit"/>; worker to parent: the rest.</summary>
internal enum FrameKind : byte
{
    /// <summary>The worker is up, its initializer ran, and it serves calls (its process id follows).</summary>
    Ready = 1,

    /// <summary>Run a method: call id, method identity, JSON arguments, then the caller's W3C traceparent and tracestate (strings, null when not traced).</summary>
    Call = 2,

    /// <summary>A call returned: call id, JSON result.</summary>
    Result = 3,

    /// <summary>A call threw: call id, then the exception (see <see cref="ExceptionRecords"/>).</summary>
    Error = 4,

    /// <summary>The worker should exit once it has nothing to do.</summary>
    Exit = 5,

    /// <summary>
    /// The first frame a worker reads: the token that proves its parent (it must equal the one in its environment), the
    /// JSON context's type name or null, the largest frame either side accepts, and the initializer's method identity
    /// (null for none) with its JSON arguments.
    /// </summary>
    Hello = 6,

    /// <summary>The worker's initializer threw (the exception follows); the worker exits.</summary>
    InitializerFailed = 7,
}

/// <summary>A frame that breaks the protocol: too large, cut off, or with fields that do not fit it.</summary>
internal sealed class FrameException(string message, bool truncated = false) : IOException(message)
{
    /// <summary>True when the pipe ended inside the frame (the sender may have died mid-write).</summary>
    public bool Truncated { get; } = truncated;
}

/// <summary>
/// The pipe protocol between a process pool and its workers: length-prefixed frames. A frame is a 4-byte
/// little-endian body length, then the body: one <see cref="FrameKind"/> byte and its fields. Integers are
/// little-endian; strings and byte blocks are a 4-byte length then the bytes (strings UTF-8, -1 for null).
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>The default of <see cref="ProcessPoolOptions.MaxMessageBytes"/>: 256 MiB.</summary>
    public const int DefaultMaxFrameLength = 256 << 20;

    /// <summary>The largest a reading buffer stays between frames; a larger one (after a large frame) is dropped.</summary>
    public const int RetainedBufferLength = 1 << 20;

    /// <summary>How much a frame's buffer grows ahead of the bytes that actually arrived: a header cannot make us allocate more.</summary>
    private const int GrowthAhead = 1 << 20;

    /// <summary>
    /// Reads one frame into <paramref name="buffer"/>. False on a clean end of stream. The buffer grows with the bytes that
    /// arrive (at most twice them plus 1 MiB), never with what the header claims, and the claim is checked against
    /// <paramref name="maxLength"/> before anything is allocated.
    /// </summary>
    /// <exception cref="FrameException">The length is out of range, or the stream ended inside the frame.</exception>
    public static bool TryReadFrame(Stream stream, ref byte[] buffer, int maxLength, out int length)
    {
        Span<byte> header = stackalloc byte[4];
        int read = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (read == 0)
        {
            length = 0;
            return false;
        }

        if (read < 4)
        {
            throw new FrameException($"the pipe ended inside a frame header ({read} of 4 bytes)", truncated: true);
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > maxLength)
        {
            throw new FrameException(length < 1
                ? $"a frame header claims {length} bytes"
                : $"a frame header claims {length:N0} bytes, over the limit of {maxLength:N0} (ProcessPoolOptions.MaxMessageBytes)");
        }

        int received = 0;
        while (received < length)
        {
            if (buffer.Length == received)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, (2L * received) + GrowthAhead));
            }

            int wanted = Math.Min(length, buffer.Length) - received;
            int got = stream.Read(buffer, received, wanted);
            if (got == 0)
            {
                throw new FrameException($"the pipe ended inside a frame ({received:N0} of {length:N0} bytes)", truncated: true);
            }

            received += got;
        }

        return true;
    }

    /// <summary>Drops a buffer that a large frame grew, once that frame is handled.</summary>
    public static void Shrink(ref byte[] buffer)
    {
        if (buffer.Length > RetainedBufferLength)
        {
            buffer = new byte[4096];
        }
    }
}

/// <summary>Reads the fields of one frame body; a field that does not fit the frame throws <see cref="FrameException"/> naming it.</summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _body;
    private string _frame;
    private int _position;

    public FrameReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _frame = "a frame";
    }

    /// <summary>Where the next field starts, for callers that need a block as memory rather than a span.</summary>
    public readonly int Position => _position;

    /// <summary>True if fields remain after the ones read so far (optional trailing fields).</summary>
    public readonly bool HasMore => _position < _body.Length;

    /// <summary>Reads the kind byte; the frame's name appears in later errors.</summary>
    public FrameKind ReadKind()
    {
        var kind = (FrameKind)Take(1, "kind")[0];
        _frame = Enum.IsDefined(kind) ? $"a {kind} frame" : $"a frame of unknown kind {(byte)kind}";
        return kind;
    }

    public byte ReadByte(string field) => Take(1, field)[0];

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public string? ReadString(string field)
    {
        int length = ReadInt32(field);
        return length == -1 ? null : Encoding.UTF8.GetString(Take(length, field));
    }

    public ReadOnlySpan<byte> ReadBlock(string field) => Take(ReadInt32(field), field);

    /// <summary>Throws unless the whole frame was read: a frame longer than its fields is as malformed as a shorter one.</summary>
    public readonly void EndOfFrame()
    {
        if (_position != _body.Length)
        {
            throw new FrameException($"{_frame} has {_body.Length - _position:N0} bytes after its last field");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > _body.Length - _position)
        {
            throw new FrameException(count < 0
                ? $"{_frame}'s {field} has a length of {count}"
                : $"{_frame}'s {field} claims {count:N0} bytes but the frame has {_body.Length - _position:N0} left");
        }

        ReadOnlySpan<byte> slice = _body.Slice(_position, count);
        _position += count;
        return slice;
    }
}
