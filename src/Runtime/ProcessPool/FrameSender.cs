using System;
using System.IO;
using System.IO.Pipes;
using System.Threading;

namespace Pipelines.ProcessPool;

/// <summary>
/// Writes frames to one worker's request pipe without ever making the sender wait for the pipe: a worker that is slow to
/// start, busy, or never reads cannot block a submit. On Linux the pipe is non-blocking and a frame is written at once
/// when it fits; what does not fit (and, elsewhere, everything) is queued for this sender's own thread, and later
/// frames queue behind it, so frames reach the worker whole and in order. What is queued is bounded by what the pool
/// sends a worker at a time: its current call (and an exit request).
/// </summary>
internal sealed class FrameSender : IDisposable
{
    private readonly AnonymousPipeServerStream _pipe;
    private readonly IntPtr _descriptor;
    private readonly bool _nonBlocking;
    private readonly string _threadName;
    private readonly object _lock = new();
    private byte[] _pending = Array.Empty<byte>(); // bytes not written yet: _pending[_start.._start + _count]
    private int _start;
    private int _count;
    private Thread? _thread;
    private bool _closeWhenDrained;
    private bool _writing; // the thread writes a chunk it took off the queue (blocking mode)
    private bool _stopped; // the pipe is closed or broken, or the sender was disposed: nothing more is written

    public FrameSender(AnonymousPipeServerStream pipe, string threadName)
    {
        _pipe = pipe;
        _threadName = threadName;
        _descriptor = pipe.SafePipeHandle.DangerousGetHandle();
        _nonBlocking = Unix.SetNonBlocking(_descriptor);
    }

    /// <summary>Queues or writes <paramref name="frame"/>; returns at once. A frame for a worker whose pipe is broken is dropped (the reader reports the worker).</summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        lock (_lock)
        {
            if (_stopped || _closeWhenDrained)
            {
                return;
            }

            if (_count == 0 && _nonBlocking)
            {
                int written = Unix.TryWrite(_descriptor, frame);
                if (written < 0)
                {
                    _stopped = true;
                    return;
                }

                frame = frame[written..];
                if (frame.IsEmpty)
                {
                    return;
                }
            }

            Append(frame);
            StartOrWake();
        }
    }

    /// <summary>Closes the pipe (the worker reads its end) once everything queued is written.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_stopped || _closeWhenDrained)
            {
                return;
            }

            _closeWhenDrained = true;
            if (_count == 0 && !_writing)
            {
                _stopped = true;
                _pipe.Dispose();
                return;
            }

            StartOrWake();
        }
    }

    /// <summary>Stops writing (the worker is gone) and closes the pipe.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            _count = 0;
            _pending = Array.Empty<byte>();
            Monitor.PulseAll(_lock);
        }

        _pipe.Dispose();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_start + _count + bytes.Length > _pending.Length)
        {
            byte[] grown = _count + bytes.Length <= _pending.Length ? _pending : new byte[Math.Max(_count + bytes.Length, 2 * _pending.Length)];
            Buffer.BlockCopy(_pending, _start, grown, 0, _count);
            _pending = grown;
            _start = 0;
        }

        bytes.CopyTo(_pending.AsSpan(_start + _count));
        _count += bytes.Length;
    }

    private void StartOrWake()
    {
        if (_thread is null)
        {
            _thread = new Thread(WriteLoop) { IsBackground = true, Name = _threadName };
            _thread.UnsafeStart();
        }
        else
        {
            Monitor.Pulse(_lock);
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            byte[] chunk;
            lock (_lock)
            {
                while (_count == 0 && !_stopped && !_closeWhenDrained)
                {
                    Monitor.Wait(_lock);
                }

                if (_stopped)
                {
                    return;
                }

                if (_count == 0)
                {
                    _stopped = true; // drained, and asked to close
                    _pipe.Dispose();
                    return;
                }

                if (_nonBlocking)
                {
                    int written = Unix.TryWrite(_descriptor, _pending.AsSpan(_start, _count));
                    if (written < 0)
                    {
                        _stopped = true;
                        return;
                    }

                    Consume(written);
                    if (written > 0)
                    {
                        continue;
                    }

                    chunk = Array.Empty<byte>();
                }
                else
                {
                    chunk = _pending.AsSpan(_start, _count).ToArray();
                    Consume(_count);
                    _writing = true;
                }
            }

            if (_nonBlocking)
            {
                Unix.WaitWritable(_descriptor, 1000); // the pipe is full: wait for the worker to read (or die), then try again
                continue;
            }

            bool failed = false;
            try
            {
                _pipe.Write(chunk); // blocking, on this thread only: writes leave in the order they were queued
                _pipe.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                failed = true;
            }

            lock (_lock)
            {
                _writing = false;
                if (failed)
                {
                    _stopped = true;
                    return;
                }
            }
        }
    }

    private void Consume(int written)
    {
        _start += written;
        _count -= written;
        if (_count == 0)
        {
            _start = 0;
            if (_pending.Length > WorkerProtocol.RetainedBufferLength)
            {
                _pending = Array.Empty<byte>();
            }
        }
    }
}
