using System;
using System.Threading;
using Pipelines.Remoting;

namespace Pipelines.ProcessPool;

/// <summary>
/// One call sent to one worker: ties the call's cancellation to that worker while it runs there, and starts the call's
/// run clock once the worker serves it (a worker's start-up does not count against a time limit).
/// </summary>
internal sealed class ActiveCall(WorkerHandle worker, IRemoteWorkItem item, long id)
{
    private CancellationTokenRegistration _registration;
    private bool _clockStarted;
    private bool _released;

    public WorkerHandle Worker { get; } = worker;

    public IRemoteWorkItem Item { get; } = item;

    public long Id { get; } = id;

    /// <summary>The call's method and arguments: never null here, the pool's Dispatch admits only calls that can run remotely.</summary>
    public IRemoteCall Call { get; } = item.Call!;

    public string MethodId => Call.MethodId;

    /// <summary>Kills the worker when the call is cancelled, for as long as it runs there.</summary>
    public void WatchCancellation(CancellationToken cancellation)
    {
        CancellationTokenRegistration registration = cancellation.UnsafeRegister(static state => ((ActiveCall)state!).Worker.KillIfRunning((ActiveCall)state!), this);
        lock (this)
        {
            if (!_released)
            {
                _registration = registration;
                return;
            }
        }

        registration.Dispose();
    }

    /// <summary>Starts the call's run clock (its time limit, if any), once its worker is serving. Idempotent.</summary>
    public void StartRunClock()
    {
        lock (this)
        {
            if (_released || _clockStarted)
            {
                return;
            }

            _clockStarted = true;
        }

        Item.StartRunClock();
    }

    /// <summary>Stops watching (the call is over). Never call it holding the worker's lock: a running kill callback takes it.</summary>
    public void Release()
    {
        CancellationTokenRegistration registration;
        lock (this)
        {
            _released = true;
            registration = _registration;
        }

        registration.Dispose();
    }
}
