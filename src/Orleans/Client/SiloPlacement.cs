using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>
/// Where a dispatcher's calls run. The placeable silos are the active ones that are not draining, as the silos' views
/// report them (<see cref="Apply"/>). Each has a window: how many of this dispatcher's calls it may hold at once. A call
/// takes a slot on the silo with the fewest calls per unit of capacity among those with room (round-robin among
/// equals), or waits here, in order, until a slot frees or a silo joins. So calls spread over the silos alive now, a
/// silo that joins takes its share as soon as it is seen, a slow silo gets fewer calls, and a silo that dies or leaves
/// holds little that has to be sent again: the queue is here, not on the silos.
/// </summary>
/// <remarks>
/// <para>Windows adapt to the backlog a silo reports with each outcome (calls waiting for one of its threads): one more
/// while it reports none waiting although its window was full, one fewer while more than its capacity wait, never below
/// capacity + 1. Calls that hold a thread (CPU or blocking work) settle at about twice the silo's capacity; calls that
/// await I/O and free their thread grow the window to <see cref="MaxWindow"/> while calls queue here.</para>
/// <para>Thread-safe; one lock guards the silos' counters and the queue of waiting calls. Events are raised outside it.</para>
/// </remarks>
internal sealed partial class SiloPlacement
{
    /// <summary>The most calls one silo holds for one dispatcher.</summary>
    public const int MaxWindow = 1024;

    private const int RecentlyGoneKept = 64;

    private readonly object _gate = new();
    private readonly IGrainFactory _grains;
    private readonly int _shardsPerSilo;
    private readonly Dictionary<string, ClusterSilo> _silos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);                       // gone for good: addresses never come back
    private readonly Dictionary<string, HashSet<string>> _listedBy = new(StringComparer.Ordinal); // per view source, the silos it lists
    private readonly Queue<SlotWaiter> _waiters = new();
    private readonly Queue<SlotWaiter> _dependents = new(); // served first: see AcquireAsync
    private readonly Queue<ClusterSilo> _recentlyGone = new(); // their shards' new activations may still be asked about what they held
    private ClusterSilo[] _placeable = [];
    private int _rotor;
    private int _moveRotor;

    public SiloPlacement(IGrainFactory grains, int shardsPerSilo)
    {
        _grains = grains;
        _shardsPerSilo = shardsPerSilo;
    }

    /// <summary>A silo joined (raised once per silo).</summary>
    public event Action<ClusterSilo>? Joined;

    /// <summary>A silo began draining (raised once per silo).</summary>
    public event Action<ClusterSilo>? Draining;

    /// <summary>A silo left the cluster: dead, or stopped (raised once per silo).</summary>
    public event Action<ClusterSilo>? Gone;

    /// <summary>The silos known now, draining ones included.</summary>
    public ClusterSilo[] Silos
    {
        get
        {
            lock (_gate)
            {
                return [.. _silos.Values];
            }
        }
    }

    /// <summary>True while some silo takes calls.</summary>
    public bool HasPlaceable => Volatile.Read(ref _placeable).Length > 0;

    /// <summary>The silo with this parsable address, if it is known and not gone.</summary>
    public ClusterSilo? Find(string address)
    {
        lock (_gate)
        {
            return _silos.GetValueOrDefault(address);
        }
    }

    /// <summary>A slot now, or null if every placeable silo's window is full (or there is none).</summary>
    public SlotLease? TryAcquire()
    {
        lock (_gate)
        {
            return TryPickLocked();
        }
    }

    /// <summary>A shard on a placeable silo to move a result to (round-robin; no slot is taken: holding a result uses no thread); null if none.</summary>
    public SlotLease? TryPickForMove()
    {
        lock (_gate)
        {
            ClusterSilo[] silos = _placeable;
            if (silos.Length == 0)
            {
                return null;
            }

            ClusterSilo silo = silos[(int)((uint)_moveRotor++ % (uint)silos.Length)];
            (string key, ICallShardGrain shard) = silo.NextShard();
            return new SlotLease(silo, key, shard) { Released = true };
        }
    }

    /// <summary>
    /// A slot, waiting in order for one when every window is full. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires, <see cref="TimeoutException"/> when no silo took calls for
    /// <paramref name="deliveryTimeout"/> (busy silos make a call wait as long as it takes). A <paramref name="dependent"/>
    /// (a call whose arguments are results on the cluster) goes before calls that only wait for a slot, as Dask runs a
    /// graph depth first: the results it reads are consumed sooner, so fewer of them are held — and lost with a silo.
    /// </summary>
    public async ValueTask<SlotLease> AcquireAsync(TimeSpan deliveryTimeout, CancellationToken cancellationToken, bool dependent = false)
    {
        SlotWaiter waiter;
        lock (_gate)
        {
            if ((dependent || _dependents.Count == 0) && TryPickLocked() is { } lease)
            {
                return lease;
            }

            waiter = new SlotWaiter();
            (dependent ? _dependents : _waiters).Enqueue(waiter);
        }

        using CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((SlotWaiter)state!).TrySetCanceled(), waiter)
            : default;
        while (true)
        {
            try
            {
                return await waiter.Task.WaitAsync(deliveryTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!HasPlaceable)
            {
                if (waiter.TrySetException(new TimeoutException($"No silo took calls within the delivery timeout ({deliveryTimeout.TotalSeconds:0.###} s).")))
                {
                    throw new TimeoutException($"No silo took calls within the delivery timeout ({deliveryTimeout.TotalSeconds:0.###} s).");
                }

                return await waiter.Task.ConfigureAwait(false); // a slot came at the same moment
            }
            catch (TimeoutException)
            {
                // Silos take calls, they are only busy: keep waiting for a slot.
            }
        }
    }

    /// <summary>The call's outcome came back (or it gave up): its slot frees, and the silo's window follows the backlog it reported (-1: none).</summary>
    public void Release(SlotLease lease, int backlog)
    {
        lock (_gate)
        {
            if (lease.Released)
            {
                return;
            }

            lease.Released = true;
            ClusterSilo silo = lease.Silo;
            bool windowFull = silo.Inflight >= silo.Window;
            silo.Inflight--;
            if (backlog == 0 && windowFull)
            {
                // It had nothing waiting for a thread although its window was full: the window held calls back. (A window
                // that was not full says nothing: it grows only while it is what limits the silo.)
                silo.Window = Math.Min(MaxWindow, silo.Window + 1);
            }
            else if (backlog > silo.EffectiveCapacity)
            {
                silo.Window = Math.Max(silo.EffectiveCapacity + 1, silo.Window - 1);
            }

            GrantLocked();
        }
    }

    /// <summary>The placeable silo with room and the fewest calls per unit of capacity, starting the search after the last pick.</summary>
    private SlotLease? TryPickLocked()
    {
        ClusterSilo[] silos = _placeable;
        int n = silos.Length;
        ClusterSilo? best = null;
        int bestIndex = 0;
        double bestLoad = double.MaxValue;
        for (int k = 0; k < n; k++)
        {
            int index = (_rotor + k) % n;
            ClusterSilo silo = silos[index];
            if (silo.Inflight >= silo.Window)
            {
                continue;
            }

            double load = (double)silo.Inflight / silo.EffectiveCapacity;
            if (load < bestLoad)
            {
                (best, bestIndex, bestLoad) = (silo, index, load);
            }
        }

        if (best is null)
        {
            return null;
        }

        _rotor = (bestIndex + 1) % n;
        best.Inflight++;
        best.Placed++;
        (string key, ICallShardGrain shard) = best.NextShard();
        return new SlotLease(best, key, shard);
    }

    /// <summary>Hands free slots to waiting calls: dependents first, each queue oldest first.</summary>
    private void GrantLocked()
    {
        Grant(_dependents);
        Grant(_waiters);
    }

    private void Grant(Queue<SlotWaiter> waiters)
    {
        while (waiters.TryPeek(out SlotWaiter? waiter))
        {
            if (waiter.Task.IsCompleted)
            {
                waiters.Dequeue(); // cancelled or timed out
                continue;
            }

            if (TryPickLocked() is not { } lease)
            {
                return;
            }

            waiters.Dequeue();
            if (!waiter.TrySetResult(lease))
            {
                lease.Released = true;
                lease.Silo.Inflight--;
                lease.Silo.Placed--;
            }
        }
    }

    private sealed class SlotWaiter() : TaskCompletionSource<SlotLease>(TaskCreationOptions.RunContinuationsAsynchronously);
}
