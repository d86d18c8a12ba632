using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Pipelines.ProcessPool;

/// <summary>What a frame carries. Parent to worker: <see cref="Call"/>, <see cref="Exit"/>; worker to parent: the rest.</summary>
internal enum FrameKind : byte
{
    /// <summary>The worker is up and serving (its process id follows).</summary>
    Ready = 1,

    /// <summary>Run a method: call id, method identity, JSON arguments, then the caller's W3C traceparent and tracestate (strings, null when not traced).</summary>
    Call = 2,

    /// <summary>A call returned: call id, JSON result.</summary>
    Result = 3,

    /// <summary>A call threw: call id, exception type name, message, stack trace.</summary>
    Error = 4,

    /// <summary>The worker should exit once it has nothing to do.</summary>
    Exit = 5,
}

/// <summary>
/// The pipe protocol between a process pool and its workers: length-prefixed frames. A frame is a 4-byte
/// little-endian body length, then the body: one <see cref="FrameKind"/> byte and its fields. Integers are
/// little-endian; strings and byte blocks are a 4-byte length then the bytes (strings UTF-8, -1 for null).
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>Frames larger than this are refused (a corrupt stream, not a real message).</summary>
    public const int MaxFrameLength = 1 << 30;

    /// <summary>Reads one frame into <paramref name="buffer"/> (grown as needed). False on a clean end of stream.</summary>
    /// <exception cref="InvalidDataException">The stream ended inside a frame, or the length is out of range.</exception>
    public static bool TryReadFrame(Stream stream, ref byte[] buffer, out int length)
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
            throw new InvalidDataException("The pipe ended inside a frame header.");
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 1 or > MaxFrameLength)
        {
            throw new InvalidDataException($"Invalid frame length {length}.");
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        if (stream.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false) < length)
        {
            throw new InvalidDataException("The pipe ended inside a frame.");
        }

        return true;
    }
}

/// <summary>
/// Builds one frame in a reusable buffer, then writes it to a stream in one write. It is an
/// <see cref="IBufferWriter{T}"/> so a <see cref="System.Text.Json.Utf8JsonWriter"/> can append JSON in place.
/// </summary>
internal sealed class FrameWriter : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[256];
    private int _count;

    /// <summary>Starts a frame of <paramref name="kind"/>, discarding anything written before.</summary>
    public void Begin(FrameKind kind)
    {
        _count = 4; // the length, patched in Send
        WriteByte((byte)kind);
    }

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _count++;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        _count += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _count += 8;
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        int count = Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        _count += Encoding.UTF8.GetBytes(value, GetSpan(count));
    }

    public void WriteBlock(ReadOnlySpan<byte> bytes)
    {
        WriteInt32(bytes.Length);
        bytes.CopyTo(GetSpan(bytes.Length));
        _count += bytes.Length;
    }

    /// <summary>Reserves a 4-byte length for a block the caller appends through this buffer writer; returns its position.</summary>
    public int BeginBlock()
    {
        int position = _count;
        WriteInt32(0);
        return position;
    }

    /// <summary>Patches the length of a block started with <see cref="BeginBlock"/>.</summary>
    public void EndBlock(int position) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), _count - position - 4);

    /// <summary>Drops everything back to <paramref name="position"/> (a block that failed half-written).</summary>
    public void Truncate(int position) => _count = position;

    /// <summary>Patches the frame length and writes the frame.</summary>
    public void Send(Stream stream)
    {
        int length = _count - 4;
        if (length > WorkerProtocol.MaxFrameLength)
        {
            throw new InvalidOperationException($"A process-pool message of {length} bytes is larger than the limit of {WorkerProtocol.MaxFrameLength} bytes.");
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer, length);
        stream.Write(_buffer, 0, _count);
        stream.Flush();
        if (_buffer.Length > 1 << 20)
        {
            _buffer = new byte[256]; // do not keep one huge message's buffer alive
        }
    }

    /// <inheritdoc/>
    public void Advance(int count) => _count += count;

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_count);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_count);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _count + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}

/// <summary>Reads the fields of one frame body.</summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _body;
    private int _position;

    public FrameReader(ReadOnlySpan<byte> body) => _body = body;

    public FrameKind ReadKind() => (FrameKind)_body[_position++];

    public int ReadInt32()
    {
        int value = BinaryPrimitives.ReadInt32LittleEndian(_body.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        long value = BinaryPrimitives.ReadInt64LittleEndian(_body.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public string? ReadString()
    {
        int length = ReadInt32();
        if (length < 0)
        {
            return null;
        }

        string value = Encoding.UTF8.GetString(_body.Slice(_position, length));
        _position += length;
        return value;
    }

    public ReadOnlySpan<byte> ReadBlock()
    {
        int length = ReadInt32();
        ReadOnlySpan<byte> block = _body.Slice(_position, length);
        _position += length;
        return block;
    }

    /// <summary>True if fields remain after the ones read so far (optional trailing fields).</summary>
    public readonly bool HasMore => _position < _body.Length;

    /// <summary>Where the next field starts, for callers that need a block as memory rather than a span.</summary>
    public readonly int Position => _position;
}
