using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Text.Json;
using System.Threading;
using Pipelines.Advanced;

namespace Pipelines.ProcessPool;

/// <summary>
/// The pool (parent) side of the pipe: the pool's handle on one worker process. Starts it, writes calls to its request
/// pipe, and reads its responses on a dedicated thread. The pool decides what happens; this class only reports
/// (returned, threw, exited). The process's own side is <see cref="WorkerMain"/>.
/// </summary>
internal sealed partial class WorkerHandle
{
    private readonly ProcessPoolExecutor _pool;
    private readonly Process _process;
    private readonly AnonymousPipeServerStream _toWorker;
    private readonly AnonymousPipeServerStream _fromWorker;
    private readonly FrameWriter _writer = new();
    private readonly Thread _reader;
    private readonly object _lock = new();
    private readonly Timer? _startTimer;
    private ActiveCall? _active;
    private long _lastCallId;
    private volatile bool _ready;
    private volatile bool _killed;
    private volatile bool _exitRequested;
    private KillReason _startFailure;

    private WorkerHandle(ProcessPoolExecutor pool, Process process, AnonymousPipeServerStream toWorker, AnonymousPipeServerStream fromWorker, TimeSpan startTimeout)
    {
        _pool = pool;
        _process = process;
        _toWorker = toWorker;
        _fromWorker = fromWorker;
        ProcessId = process.Id;
        _startTimer = new Timer(static state => ((WorkerHandle)state!).OnStartTimeout(), this, startTimeout, Timeout.InfiniteTimeSpan);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"{pool.Name} worker {ProcessId}" };
        _reader.UnsafeStart();
    }

    public int ProcessId { get; }

    /// <summary>True once the worker said it is serving.</summary>
    public bool IsReady => _ready;

    /// <summary>True once the pool killed it; it is never given another call.</summary>
    public bool IsKilled => _killed;

    /// <summary>True once the pool asked it to exit.</summary>
    public bool ExitRequested => _exitRequested;

    /// <summary>True when the start timeout killed it.</summary>
    public bool StartTimedOut => _startFailure == KillReason.StartTimedOut;

    /// <summary>Calls this worker finished (returned or threw). Touched only by the pool under its lock.</summary>
    public int CallsCompleted { get; set; }

    /// <summary>The thread that reads responses, and reports the worker's exit.</summary>
    public Thread ReaderThread => _reader;

    /// <summary>Gives the worker a call (the pool holds its lock; the worker is idle).</summary>
    public ActiveCall Assign(IRemoteWorkItem item, TimeSpan? timeout)
    {
        lock (_lock)
        {
            _active = new ActiveCall(this, item, ++_lastCallId, timeout);
            return _active;
        }
    }

    /// <summary>Serializes the call's arguments and sends it. Throws only if the arguments do not serialize (nothing was sent).</summary>
    public void Send(ActiveCall call, JsonSerializerOptions options)
    {
        IRemoteCall remote = call.Call;
        _writer.Begin(FrameKind.Call);
        _writer.WriteInt64(call.Id);
        _writer.WriteString(remote.MethodId);
        int block = _writer.BeginBlock();
        using (var json = new Utf8JsonWriter(_writer))
        {
            remote.WriteArguments(json, options);
        }

        _writer.EndBlock(block);

        // Issue 16: the call's trace context (W3C traceparent, tracestate; nulls when it is not traced), so that the
        // worker continues the call's span. Fields after the arguments: a worker that reads none ignores them.
        (string? traceParent, string? traceState) = Diagnostics.Telemetry.TraceContextOf(call.Item.Future);
        _writer.WriteString(traceParent);
        _writer.WriteString(traceState);
        call.WatchCancellation(call.Item.CancellationToken);
        if (_ready)
        {
            call.StartTimeout(); // else the Ready message starts it
        }

        try
        {
            _writer.Send(_toWorker);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The worker is dead or dying: the reader sees its pipe end and reports the call with the exit code.
        }
    }

    /// <summary>Takes back a call that was assigned but could not be sent.</summary>
    public bool TryTakeBack(ActiveCall call)
    {
        lock (_lock)
        {
            if (_active != call)
            {
                return false;
            }

            _active = null;
            return true;
        }
    }

    /// <summary>Asks an idle worker to exit: an Exit message, then the end of its request pipe.</summary>
    public void RequestExit()
    {
        _exitRequested = true;
        try
        {
            _writer.Begin(FrameKind.Exit);
            _writer.Send(_toWorker);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }

        _toWorker.Dispose();
    }

    /// <summary>Kills the worker if <paramref name="call"/> still runs on it.</summary>
    public void KillIfRunning(ActiveCall call, KillReason reason)
    {
        lock (_lock)
        {
            if (_active != call)
            {
                return;
            }

            call.KillReason = reason;
            _killed = true;
        }

        KillProcess();
    }

    /// <summary>Kills the worker whatever it is doing.</summary>
    public void Kill()
    {
        _killed = true;
        KillProcess();
    }

    /// <summary>Waits until the worker has exited and the pool has heard of it.</summary>
    public bool WaitForExit(TimeSpan timeout) => _reader.Join(timeout);

    private void OnStartTimeout()
    {
        lock (_lock)
        {
            if (_ready)
            {
                return;
            }

            _startFailure = KillReason.StartTimedOut;
            _killed = true;
        }

        KillProcess();
    }

    private void KillProcess()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    private ActiveCall? TakeActive(long callId)
    {
        lock (_lock)
        {
            ActiveCall? call = _active;
            if (call is null || call.Id != callId)
            {
                return null;
            }

            _active = null;
            return call;
        }
    }

    private void ReadLoop()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (WorkerProtocol.TryReadFrame(_fromWorker, ref buffer, out int length))
            {
                var reader = new FrameReader(buffer.AsSpan(0, length));
                switch (reader.ReadKind())
                {
                    case FrameKind.Ready:
                        ActiveCall? first;
                        lock (_lock)
                        {
                            _ready = true;
                            first = _active;
                        }

                        _startTimer?.Dispose();
                        first?.StartTimeout();
                        break;
                    case FrameKind.Result:
                    {
                        ActiveCall? call = TakeActive(reader.ReadInt64());
                        if (call is not null)
                        {
                            _pool.OnCallReturned(this, call, reader.ReadBlock());
                        }

                        break;
                    }

                    case FrameKind.Error:
                    {
                        ActiveCall? call = TakeActive(reader.ReadInt64());
                        string typeName = reader.ReadString() ?? "System.Exception";
                        string message = reader.ReadString() ?? string.Empty;
                        string? stackTrace = reader.ReadString();
                        if (call is not null)
                        {
                            _pool.OnCallThrew(this, call, RemoteExceptions.Rebuild(typeName, message, stackTrace));
                        }

                        break;
                    }

                    default:
                        throw new InvalidDataException("Unexpected message from a worker process.");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidDataException or ArgumentOutOfRangeException)
        {
            // The worker died mid-message or broke the protocol; either way it is finished.
        }

        // The response pipe ended: the worker exited (or closed it, which is as good as dead to us).
        if (!_process.WaitForExit(10_000))
        {
            Kill();
            _process.WaitForExit();
        }

        _startTimer?.Dispose();
        int exitCode = _process.ExitCode;
        ActiveCall? running;
        lock (_lock)
        {
            running = _active;
            _active = null;
        }

        try
        {
            _pool.OnWorkerExited(this, running, exitCode);
        }
        finally
        {
            _toWorker.Dispose();
            _fromWorker.Dispose();
            try
            {
                _process.StandardInput.Dispose();
            }
            catch (IOException)
            {
            }

            _process.Dispose();
        }
    }
}
