using System;
using System.Threading;
using Pipelines.Remoting;

namespace Pipelines.ProcessPool;

/// <summary>Why the pool killed a worker, which decides how its running call ends.</summary>
internal enum KillReason
{
    /// <summary>Not killed by the pool: the worker died on its own.</summary>
    None,

    /// <summary>The running call was cancelled (<see cref="Future.Cancel"/> or a cancelling shutdown): it ends Cancelled.</summary>
    Cancelled,

    /// <summary>The running call exceeded <see cref="ProcessPoolOptions.CallTimeout"/>: it ends Cancelled.</summary>
    TimedOut,
}

/// <summary>One call sent to one worker: ties the call's cancellation and timeout to that worker while it runs there.</summary>
internal sealed class ActiveCall(WorkerHandle worker, IRemoteWorkItem item, long id, TimeSpan? timeout)
{
    private CancellationTokenRegistration _registration;
    private Timer? _timer;
    private bool _released;

    public WorkerHandle Worker { get; } = worker;

    public IRemoteWorkItem Item { get; } = item;

    public long Id { get; } = id;

    /// <summary>Set (under the worker's lock) when the pool kills the worker because of this call.</summary>
    public KillReason KillReason { get; set; }

    /// <summary>The call's method and arguments: never null here, the pool's Dispatch admits only calls that can run remotely.</summary>
    public IRemoteCall Call { get; } = item.Call!;

    public string MethodId => Call.MethodId;

    /// <summary>Kills the worker when the call is cancelled, for as long as it runs there.</summary>
    public void WatchCancellation(CancellationToken cancellation)
    {
        CancellationTokenRegistration registration = cancellation.UnsafeRegister(static state => ((ActiveCall)state!).Worker.KillIfRunning((ActiveCall)state!, KillReason.Cancelled), this);
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

    /// <summary>Starts the call's timeout clock, once its worker is serving (a worker's start-up does not count). Idempotent.</summary>
    public void StartTimeout()
    {
        if (timeout is not { } limit)
        {
            return;
        }

        lock (this)
        {
            if (_released || _timer is not null)
            {
                return;
            }

            _timer = new Timer(static state => ((ActiveCall)state!).Worker.KillIfRunning((ActiveCall)state!, KillReason.TimedOut), this, limit, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops watching (the call is over). Never call it holding the worker's lock: a running kill callback takes it.</summary>
    public void Release()
    {
        CancellationTokenRegistration registration;
        Timer? timer;
        lock (this)
        {
            _released = true;
            registration = _registration;
            timer = _timer;
        }

        registration.Dispose();
        timer?.Dispose();
    }
}
