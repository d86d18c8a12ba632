using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Text.Json;
using System.Threading;
using Pipelines.Remoting;

namespace Pipelines.ProcessPool;

/// <summary>
/// The pool (parent) side of the pipe: the pool's handle on one worker process. Starts it, sends it calls (never
/// waiting on its pipe), and reads its responses on a dedicated thread. The pool decides what happens; this class only
/// reports (ready, returned, threw, exited) — and decides nothing by end-of-stream alone: a call ends when its result
/// arrives, when the pool kills the worker for it, when the worker breaks the protocol, or when the process has exited.
/// The process's own side is <see cref="WorkerMain"/>.
/// </summary>
internal sealed partial class WorkerHandle
{
    private readonly ProcessPoolExecutor _pool;
    private readonly Process _process;
    private readonly FrameSender _sender;
    private readonly AnonymousPipeServerStream _fromWorker;
    private readonly FrameWriter _writer = new(); // guarded by itself: one frame is built at a time
    private Utf8JsonWriter? _json;                // writes arguments into _writer; guarded by _writer
    private readonly Thread _reader;
    private readonly object _lock = new();
    private readonly Timer? _startTimer;
    private readonly ManualResetEventSlim _reported = new();
    private readonly int _maxFrameLength;
    private readonly TimeSpan _startTimeout;
    private ActiveCall? _active;
    private long _lastCallId;
    private volatile bool _ready;
    private volatile bool _killed;
    private volatile bool _exitRequested;
    private int _exitReported;
    private string? _failure; // why the pool killed it (a broken protocol, the start timeout), for the exit report
    private string? _note;    // what else the exit report should say (a message cut off by the worker's death)

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>True once the worker said it is serving.</summary>
    public bool IsReady => _ready;

    /// <summary>True once the pool killed it; it is never given another call.</summary>
    public bool IsKilled => _killed;

    /// <summary>True once the pool asked it to exit.</summary>
    public bool ExitRequested => _exitRequested;

    /// <summary>Calls this worker finished (returned or threw). Touched only by the pool under its lock.</summary>
    public int CallsCompleted { get; set; }

    /// <summary>The thread that reads responses, and reports the worker's exit.</summary>
    public Thread ReaderThread => _reader;

    /// <summary>Gives the worker a call (the pool holds its lock; the worker is idle).</summary>
    public ActiveCall Assign(IRemoteWorkItem item)
    {
        lock (_lock)
        {
            _active = new ActiveCall(this, item, ++_lastCallId);
            return _active;
        }
    }

    /// <summary>
    /// Serializes the call and sends it; returns without waiting for the pipe. Throws only if the arguments do not
    /// serialize or the message is over the size limit (nothing was sent).
    /// </summary>
    public void Send(ActiveCall call, JsonSerializerOptions options)
    {
        IRemoteCall remote = call.Call;
        lock (_writer)
        {
            _writer.Begin(FrameKind.Call);
            _writer.WriteInt64(call.Id);
            _writer.WriteString(remote.MethodId);
            int block = _writer.BeginBlock();
            Utf8JsonWriter json = _json ??= new Utf8JsonWriter(_writer);
            json.Reset(_writer);
            try
            {
                remote.WriteArguments(json, options);
                json.Flush();
            }
            finally
            {
                json.Reset(_writer); // drops any half-written state
            }

            _writer.EndBlock(block);

            // The call's trace context (W3C traceparent, tracestate; nulls when it is not traced), so that the worker
            // continues the call's span.
            (string? traceParent, string? traceState) = Diagnostics.Telemetry.TraceContextOf(call.Item.Future);
            _writer.WriteString(traceParent);
            _writer.WriteString(traceState);
            _writer.Finish(_maxFrameLength);
            call.WatchCancellation(call.Item.CancellationToken);
            if (_ready)
            {
                call.StartRunClock(); // else the Ready message starts it
            }

            _sender.Send(_writer.Frame);
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
        lock (_writer)
        {
            _writer.Begin(FrameKind.Exit);
            _writer.Finish(_maxFrameLength);
            _sender.Send(_writer.Frame);
        }

        _sender.Close();
    }

    /// <summary>
    /// Kills the worker if <paramref name="call"/> still runs on it (the call was cancelled: by hand, by its time limit, or
    /// by a cancelling shutdown), and ends the call now: the pool hears of it at once
    /// (<see cref="ProcessPoolExecutor.OnCallKilled"/>), not when the process is gone.
    /// </summary>
    public void KillIfRunning(ActiveCall call)
    {
        lock (_lock)
        {
            if (_active != call || Volatile.Read(ref _exitReported) != 0)
            {
                return;
            }

            _active = null;
            _killed = true;
        }

        KillProcessGroup();
        _pool.OnCallKilled(this, call);
    }

    /// <summary>Kills the worker and takes back the call it was running, if any (the pool broke: the caller fails the call).</summary>
    public ActiveCall? KillAndTakeCall()
    {
        ActiveCall? call;
        lock (_lock)
        {
            call = _active;
            _active = null;
            _killed = true;
        }

        KillProcessGroup();
        return call;
    }

    /// <summary>Kills the worker whatever it is doing (shutdown that gave up waiting).</summary>
    public void Kill()
    {
        _killed = true;
        KillProcessGroup();
    }

    /// <summary>Waits until the worker has exited and the pool has heard of it.</summary>
    public bool WaitForExit(TimeSpan timeout) => _reported.Wait(timeout);

    /// <summary>
    /// The worker broke the protocol, or did not start in time: it is killed now, and its call (if any) fails with
    /// <paramref name="failure"/> when its exit is reported.
    /// </summary>
    private void Fail(string failure)
    {
        lock (_lock)
        {
            _failure ??= failure;
            _killed = true;
        }

        KillProcessGroup();
    }

    private void OnStartTimeout()
    {
        if (!_ready)
        {
            Fail($"did not start serving within {_startTimeout} (ProcessPoolOptions.WorkerStartTimeout)");
        }
    }

    /// <summary>
    /// Kills the worker's process group (the worker and every process it started that stayed in it), then the worker
    /// and its descendants as .NET sees them (the group may not exist yet while the worker starts).
    /// </summary>
    private void KillProcessGroup()
    {
        if (Volatile.Read(ref _exitReported) != 0)
        {
            return; // its process id may belong to someone else by now
        }

        Unix.KillProcessGroup(ProcessId);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    private ActiveCall? TakeActive()
    {
        lock (_lock)
        {
            ActiveCall? call = _active;
            _active = null;
            return call;
        }
    }

    /// <summary>Reports the worker's exit to the pool, once, with the call it was running (if the pool has not taken it back).</summary>
    private void ReportExit()
    {
        if (Interlocked.Exchange(ref _exitReported, 1) != 0)
        {
            return;
        }

        _startTimer?.Dispose();
        int exitCode = -1;
        try
        {
            if (_process.HasExited)
            {
                exitCode = _process.ExitCode;
            }
        }
        catch (InvalidOperationException)
        {
        }

        ActiveCall? running = TakeActive();
        string? failure, note;
        lock (_lock)
        {
            (failure, note) = (_failure, _note);
        }

        try
        {
            _pool.OnWorkerExited(this, running, exitCode, failure, note);
        }
        finally
        {
            _sender.Dispose();
            _fromWorker.Dispose(); // deferred by the handle's reference count while the reader still reads it
            try
            {
                _process.StandardInput.Dispose();
            }
            catch (Exception ex) when (ex is System.IO.IOException or InvalidOperationException)
            {
            }

            _reported.Set();
        }
    }
}
