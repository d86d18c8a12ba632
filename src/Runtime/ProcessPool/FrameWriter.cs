using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Pipelines.ProcessPool;

/// <summary>
/// Builds one frame in a reusable buffer (see <see cref="WorkerProtocol"/>). It is an <see cref="IBufferWriter{T}"/> so a
/// <see cref="System.Text.Json.Utf8JsonWriter"/> can append JSON in place. Not thread-safe: one frame at a time.
/// </summary>
internal sealed class FrameWriter : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[256];
    private int _count;

    /// <summary>The finished frame, length prefix included (after <see cref="Finish"/>).</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _count);

    /// <summary>Starts a frame of <paramref name="kind"/>, discarding anything written before.</summary>
    public void Begin(FrameKind kind)
    {
        if (_buffer.Length > WorkerProtocol.RetainedBufferLength)
        {
            _buffer = new byte[256]; // do not keep one huge message's buffer alive
        }

        _count = 4; // the length, patched in Finish
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

    /// <summary>Patches the frame's length prefix; <see cref="Frame"/> is then ready to send.</summary>
    /// <exception cref="InvalidOperationException">The frame is larger than <paramref name="maxLength"/>.</exception>
    public void Finish(int maxLength)
    {
        int length = _count - 4;
        if (length > maxLength)
        {
            throw new InvalidOperationException(
                $"A process-pool message of {length:N0} bytes is larger than the limit of {maxLength:N0} bytes (ProcessPoolOptions.MaxMessageBytes).");
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer, length);
    }

    /// <summary>Finishes the frame and writes it to a blocking stream (the worker's side).</summary>
    public void Send(Stream stream, int maxLength)
    {
        Finish(maxLength);
        stream.Write(_buffer, 0, _count);
        stream.Flush();
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
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length)));
        }
    }
}
