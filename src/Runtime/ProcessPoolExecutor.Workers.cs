using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pipelines.Advanced;
using Pipelines.ProcessPool;

namespace Pipelines;

// The pool's side of the work: calls go from the queue to idle workers (Pump, Send), and what the workers report
// comes back here on their reader threads (returned, threw, exited), which decides each worker's fate.
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

    /// <summary>A worker process exited; <paramref name="running"/> is the call it was running, if any (called on its reader thread).</summary>
    internal void OnWorkerExited(WorkerHandle worker, ActiveCall? running, int exitCode)
    {
        lock (_gate)
        {
            _live.Remove(worker);
            if (_idle.Contains(worker))
            {
                WorkerHandle[] others = _idle.Where(w => w != worker).Reverse().ToArray();
                _idle.Clear();
                foreach (WorkerHandle other in others)
                {
                    _idle.Push(other);
                }
            }
        }

        if (running is not null)
        {
            running.Release();
            if (running.KillReason is KillReason.Cancelled or KillReason.TimedOut)
            {
                running.Item.SetCanceled();
            }
            else
            {
                BrokenProcessPoolException exception = DeathException(worker, running, exitCode);
                if (BreakOnWorkerDeath || !worker.IsReady)
                {
                    Break(exception);
                }

                running.Item.SetException(exception);
            }
        }
        else if (!worker.IsReady && !worker.ExitRequested && !IsShutdown)
        {
            Break(DeathException(worker, null, exitCode));
        }

        lock (_gate)
        {
            _started.Remove(worker);
        }

        Pump();
    }

    private BrokenProcessPoolException DeathException(WorkerHandle worker, ActiveCall? running, int exitCode)
    {
        string call = running is null ? string.Empty : $" while running {running.MethodId}";
        string message = worker.IsReady
            ? $"A worker process (pid {worker.ProcessId}) of '{Name}' died with exit code {exitCode}{call}."
            : (worker.StartTimedOut
                ? $"A worker process (pid {worker.ProcessId}) of '{Name}' did not start serving within {_startTimeout} and was killed."
                : $"A worker process (pid {worker.ProcessId}) of '{Name}' exited with code {exitCode} before it started serving.") +
              $" A worker is this application started again ('{_workerFileName}'): it must call ProcessPoolExecutor.RunWorkerIfRequested() " +
              "before anything else (the Pipelines generator does it from a module initializer in executables that declare [Submittable] methods). " +
              "The pool is broken.";
        return new BrokenProcessPoolException(message, exitCode, worker.ProcessId);
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

            if (BrokenReason is null)
            {
                while (_queue.Count > 0)
                {
                    IRemoteWorkItem item = _queue.Peek();
                    if (item.Future.IsDone)
                    {
                        _queue.Dequeue();
                        continue;
                    }

                    if (IsCancellingPending)
                    {
                        (cancels ??= new()).Add(_queue.Dequeue());
                        continue;
                    }

                    WorkerHandle? worker;
                    try
                    {
                        worker = TakeWorker();
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
                    {
                        Break(new BrokenProcessPoolException($"'{Name}' could not start a worker process ('{_workerFileName}'): {ex.Message}", ex));
                        break;
                    }

                    if (worker is null)
                    {
                        break;
                    }

                    _queue.Dequeue();
                    if (!item.TryStart())
                    {
                        _idle.Push(worker);
                        if (IsCancellingPending)
                        {
                            (cancels ??= new()).Add(item);
                        }

                        continue;
                    }

                    (sends ??= new()).Add(worker.Assign(item, CallTimeout));
                }
            }

            broken = BrokenReason;
            if (broken is not null && _queue.Count > 0)
            {
                fails = _queue.ToList();
                _queue.Clear();
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
                item.SetException(broken!);
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

    private void Send(ActiveCall call)
    {
        try
        {
            call.Worker.Send(call, JsonOptions);
        }
        catch (Exception ex)
        {
            // The arguments did not serialize; nothing reached the worker.
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

        WorkerHandle worker = WorkerHandle.Start(this, _workerFileName, _workerArguments, _jsonContext, _startTimeout);
        _live.Add(worker);
        _started.Add(worker);
        return worker;
    }
}
