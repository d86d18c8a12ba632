using System;
using System.IO;
using System.Threading;

namespace Pipelines.ProcessPool;

// Reading: the worker's responses, each checked before it is believed. A frame that is too large, cut off, of an unknown
// kind, with fields that do not fit it, or about a call the worker is not running is a broken protocol: the worker is
// killed and its call fails with a BrokenProcessPoolException that says which. The end of the pipe decides nothing by
// itself: the exit of the process does (a process the worker started may hold the pipe open).
internal sealed partial class WorkerHandle
{
    /// <summary>How long a worker whose pipe ended may take to exit before it is killed.</summary>
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(2);

    private void ReadLoop()
    {
        byte[] buffer = new byte[4096];
        FrameException? broken = null;
        try
        {
            while (ReadAndHandle(ref buffer))
            {
            }
        }
        catch (FrameException ex)
        {
            broken = ex;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke: the worker is gone (its exit code says how).
        }

        buffer = Array.Empty<byte>();
        if (broken is { Truncated: false })
        {
            Fail($"broke the pipe protocol ({broken.Message})"); // a live worker that breaks the protocol is stopped now
        }
        else if (broken is not null)
        {
            lock (_lock)
            {
                _note = $"its last message was cut off: {broken.Message}";
            }
        }

        try
        {
            if (Volatile.Read(ref _exitReported) == 0 && !_process.WaitForExit(s_exitGrace))
            {
                Fail(broken is null ? "closed its pipe but did not exit" : $"broke the pipe protocol ({broken.Message}) and did not exit");
                _process.WaitForExit(s_exitGrace);
            }
        }
        catch (InvalidOperationException)
        {
            // The process is gone and released already.
        }

        ReportExit();
        _process.Dispose(); // here, after the last use: the exit may have been reported from the Exited event meanwhile
    }

    /// <summary>
    /// Reads and handles one frame; false at the end of the pipe. A method of its own so that nothing of a large frame
    /// stays referenced from the reader's frame while it waits for the next one.
    /// </summary>
    private bool ReadAndHandle(ref byte[] buffer)
    {
        if (!WorkerProtocol.TryReadFrame(_fromWorker, ref buffer, _maxFrameLength, out int length))
        {
            return false;
        }

        if (!_killed)
        {
            Handle(buffer.AsSpan(0, length));
        }

        WorkerProtocol.Shrink(ref buffer);
        return true;
    }

    /// <summary>The process exited (a process it started may still hold the pipe): report it if the reader does not soon.</summary>
    private void OnProcessExited()
    {
        if (!_reader.Join(s_exitGrace))
        {
            ReportExit();
        }
    }

    private void Handle(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        FrameKind kind = reader.ReadKind();
        switch (kind)
        {
            case FrameKind.Ready:
            {
                reader.ReadInt32("process id");
                reader.EndOfFrame();
                ActiveCall? first;
                lock (_lock)
                {
                    if (_ready)
                    {
                        throw new FrameException("a second Ready frame");
                    }

                    _ready = true;
                    first = _active;
                }

                _startTimer?.Dispose();
                first?.StartRunClock();
                break;
            }

            case FrameKind.Result:
            {
                long callId = reader.ReadInt64("call id");
                ReadOnlySpan<byte> json = reader.ReadBlock("JSON result");
                reader.EndOfFrame();
                if (TakeRunning(callId, kind) is { } call)
                {
                    _pool.OnCallReturned(this, call, json);
                }

                break;
            }

            case FrameKind.Error:
            {
                long callId = reader.ReadInt64("call id");
                Exception exception = ExceptionRecords.Read(ref reader, _pool.RemoteExceptions);
                reader.EndOfFrame();
                if (TakeRunning(callId, kind) is { } call)
                {
                    _pool.OnCallThrew(this, call, exception);
                }

                break;
            }

            case FrameKind.InitializerFailed:
            {
                Exception exception = ExceptionRecords.Read(ref reader, _pool.RemoteExceptions);
                reader.EndOfFrame();
                if (_ready)
                {
                    throw new FrameException("an InitializerFailed frame after Ready");
                }

                _pool.OnInitializerFailed(this, exception);
                break;
            }

            default:
                throw new FrameException(Enum.IsDefined(kind) ? $"a {kind} frame, which only the pool sends" : $"a frame of unknown kind {(byte)kind}");
        }
    }

    /// <summary>Takes the running call a response is about; a response about any other call breaks the protocol.</summary>
    private ActiveCall? TakeRunning(long callId, FrameKind kind)
    {
        lock (_lock)
        {
            if (_active is { } call && call.Id == callId)
            {
                _active = null;
                return call;
            }

            if (_killed)
            {
                return null; // the pool took the call back and killed the worker; what it still says is moot
            }

            throw new FrameException(_active is null
                ? $"a {kind} frame for call {callId} while it runs no call"
                : $"a {kind} frame for call {callId} while it runs call {_active.Id}");
        }
    }
}
