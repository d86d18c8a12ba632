using System;
using System.Collections.Generic;
using System.IO;
using Pipelines.Remoting;
using Pipelines.ProcessPool;

namespace Pipelines;

// The pool's side of the work: calls go from the queues to idle workers (Pump, Send), and what the workers report
// comes back here on their reader threads (returned, threw, killed, exited), which decides each worker's fate.
public sealed partial class ProcessPoolExecutor
{
    /// <summary>A worker returned a call's result (called on the worker's reader thread).</summary>
    internal void OnCallReturned(WorkerHandle worker, ActiveCall call, ReadOnlySpan<byte> json)
    {
        call.Release();
        ReturnWorker(worker);
        call.Item.SetResult(json, JsonOptions);
        Pump();
    }

    /// <summary>A call threw in its worker (called on the worker's reader thread).</summary>
    internal void OnCallThrew(WorkerHandle worker, ActiveCall call, Exception exception)
    {
        call.Release();
        ReturnWorker(worker);
        call.Item.SetException(exception);
        Pump();
    }

    /// <summary>The pool killed a worker to stop its call (cancelled or timed out): the call ends Cancelled now, and the worker is replaced when needed.</summary>
    internal void OnCallKilled(WorkerHandle worker, ActiveCall call)
    {
        lock (_gate)
        {
            _live.Remove(worker); // its exit is reported later; a replacement may start meanwhile
        }

        call.Release();
        call.Item.SetCanceled();
        Pump();
    }

    /// <summary>
    /// A worker process exited; <paramref name="running"/> is the call it was running, if the pool had not taken it back.
    /// <paramref name="failure"/> says why the pool killed it (a broken protocol, the start timeout), or is null.
    /// </summary>
    internal void OnWorkerExited(WorkerHandle worker, ActiveCall? running, int exitCode, string? failure, string? note)
    {
        lock (_gate)
        {
            _live.Remove(worker);
            RemoveIdle(worker);
        }

        // A death the pool did not decide on: the worker crashed, was killed from outside, broke the protocol or did not
        // start. It breaks the pool when the worker never served (it cannot be replaced by the same failure), or always
        // in strict mode, as CPython's pool breaks when any worker dies.
        bool died = failure is not null || (!worker.ExitRequested && !worker.IsKilled);
        bool breaks = died && !_stopping && !IsShutdown && (BreakOnWorkerDeath || !worker.IsReady);
        running?.Release();
        if (breaks)
        {
            BreakPool(DeathException(worker, running, exitCode, failure, note), running);
        }
        else if (running is not null)
        {
            running.Item.SetException(DeathException(worker, running, exitCode, failure, note));
        }

        lock (_gate)
        {
            _started.Remove(worker);
        }

        Pump();
    }

    /// <summary>Puts a worker that finished a call back to work, or retires it.</summary>
    private void ReturnWorker(WorkerHandle worker)
    {
        lock (_gate)
        {
            worker.CallsCompleted++;
            if (worker.IsKilled)
            {
                _live.Remove(worker); // dying; its exit is reported later
            }
            else if (_stopping || IsBroken || (MaxTasksPerChild is int max && worker.CallsCompleted >= max))
            {
                _live.Remove(worker);
                worker.RequestExit();
            }
            else
            {
                _idle.Push(worker);
            }
        }
    }

    /// <summary>Sends queued calls to idle workers, starting workers up to <see cref="MaxWorkers"/>.</summary>
    private void Pump()
    {
        List<ActiveCall>? sends = null;
        List<IRemoteWorkItem>? cancels = null;
        List<IRemoteWorkItem>? fails = null;
        BrokenExecutorException? broken;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            while (BrokenReason is null && NextQueue() is { } queue)
            {
                IRemoteWorkItem item = queue.Peek();
                if (item.Future.IsDone)
                {
                    queue.Dequeue();
                    continue;
                }

                if (IsCancellingPending)
                {
                    // The start gate's answer, asked before a worker is taken for the call; the cancel runs outside the lock.
                    (cancels ??= new()).Add(queue.Dequeue());
                    continue;
                }

                WorkerHandle? worker;
                try
                {
                    worker = TakeWorker();
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
                {
                    Break(new BrokenProcessPoolException($"'{Name}' could not start a worker process ('{_launch.FileName}'): {ex.Message}", ex));
                    break;
                }

                if (worker is null)
                {
                    break;
                }

                queue.Dequeue();
                if (!item.TryStart())
                {
                    _idle.Push(worker); // cancelled meanwhile (TryStart is the start gate: it cancels it if pending calls are)
                    continue;
                }

                (sends ??= new()).Add(worker.Assign(item));
            }

            broken = BrokenReason;
            if (broken is not null && NextQueue() is not null)
            {
                fails = TakeQueued();
            }
        }

        if (cancels is not null)
        {
            foreach (IRemoteWorkItem item in cancels)
            {
                item.Future.Cancel();
            }
        }

        if (fails is not null)
        {
            foreach (IRemoteWorkItem item in fails)
            {
                item.SetException(broken!.WithMessage(broken.Message)); // each call its own exception, as CPython's
            }
        }

        if (sends is not null)
        {
            foreach (ActiveCall call in sends)
            {
                Send(call);
            }
        }
    }

    /// <summary>The queue to send from next: calls made ready by a completion first. Called under the lock.</summary>
    private Queue<IRemoteWorkItem>? NextQueue() => _readied.Count > 0 ? _readied : _roots.Count > 0 ? _roots : null;

    /// <summary>Empties both queues. Called under the lock.</summary>
    private List<IRemoteWorkItem> TakeQueued()
    {
        var queued = new List<IRemoteWorkItem>(_readied.Count + _roots.Count);
        queued.AddRange(_readied);
        queued.AddRange(_roots);
        _readied.Clear();
        _roots.Clear();
        return queued;
    }

    private void Send(ActiveCall call)
    {
        try
        {
            call.Worker.Send(call, JsonOptions);
        }
        catch (Exception ex)
        {
            // The arguments did not serialize, or the message is over the limit; nothing reached the worker.
            if (call.Worker.TryTakeBack(call))
            {
                call.Release();
                lock (_gate)
                {
                    if (_stopping || IsBroken)
                    {
                        _live.Remove(call.Worker);
                        call.Worker.RequestExit();
                    }
                    else
                    {
                        _idle.Push(call.Worker);
                    }
                }

                call.Item.SetException(ex);
                Pump();
            }
        }
    }

    /// <summary>An idle worker, a new one if the pool may grow, or null. Called under the lock.</summary>
    private WorkerHandle? TakeWorker()
    {
        if (_idle.Count > 0)
        {
            return _idle.Pop();
        }

        if (_live.Count >= MaxWorkers)
        {
            return null;
        }

        WorkerHandle worker = WorkerHandle.Start(this, _launch);
        _live.Add(worker);
        _started.Add(worker);
        return worker;
    }

    /// <summary>Removes a worker from the idle stack, keeping the others' order. Called under the lock.</summary>
    private void RemoveIdle(WorkerHandle worker)
    {
        if (!_idle.Contains(worker))
        {
            return;
        }

        var others = new List<WorkerHandle>(_idle);
        others.Remove(worker);
        _idle.Clear();
        for (int i = others.Count - 1; i >= 0; i--)
        {
            _idle.Push(others[i]);
        }
    }
}
