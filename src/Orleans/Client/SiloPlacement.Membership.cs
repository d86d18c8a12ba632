using System;
using System.Collections.Generic;
using System.Threading;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Which silos take calls: the silos' views of the cluster (joins, drains, departures), capacities, hand-backs, and
// dropped gateway connections.
internal sealed partial class SiloPlacement
{
    /// <summary>Takes in a silo's view of the cluster: joins, drains, and silos that left.</summary>
    public void Apply(SiloView view)
    {
        List<ClusterSilo>? joined = null, draining = null, gone = null;
        lock (_gate)
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (SiloInfo info in view.Silos)
            {
                listed.Add(info.Address);
            }

            // A silo that this source listed before and lists no more has left (Orleans' membership never brings an
            // address back: a restarted silo has a new generation); so has one it reports dead.
            if (_listedBy.TryGetValue(view.From, out HashSet<string>? before))
            {
                foreach (string address in before)
                {
                    if (!listed.Contains(address))
                    {
                        RemoveLocked(address, ref gone);
                    }
                }
            }

            foreach (string address in view.Dead)
            {
                RemoveLocked(address, ref gone);
            }

            foreach (SiloInfo info in view.Silos)
            {
                if (_removed.Contains(info.Address))
                {
                    listed.Remove(info.Address);
                    continue;
                }

                if (!_silos.TryGetValue(info.Address, out ClusterSilo? silo))
                {
                    silo = new ClusterSilo(_grains, info.Address, info.Name, info.Capacity, _shardsPerSilo);
                    silo.Window = InitialWindow(silo);
                    _silos.Add(info.Address, silo);
                    (joined ??= new()).Add(silo);
                }
                else if (info.Capacity > 0 && silo.Capacity == 0)
                {
                    SetCapacityLocked(silo, info.Capacity);
                }

                if (info.Draining && !silo.Draining)
                {
                    silo.Draining = true;
                    (draining ??= new()).Add(silo);
                }
            }

            _listedBy[view.From] = listed;
            RebuildLocked();
            GrantLocked();
        }

        Raise(Joined, joined);
        Raise(Draining, draining);
        Raise(Gone, gone);
    }

    /// <summary>A silo told us its capacity.</summary>
    public void SetCapacity(ClusterSilo silo, int capacity)
    {
        lock (_gate)
        {
            SetCapacityLocked(silo, capacity);
            GrantLocked();
        }
    }

    /// <summary>The silo named <paramref name="name"/> (as Orleans prints it) handed a call back: it drains, whether or not a view has said so yet.</summary>
    public void MarkDraining(string name)
    {
        ClusterSilo? silo;
        lock (_gate)
        {
            silo = null;
            foreach (ClusterSilo candidate in _silos.Values)
            {
                if (candidate.Name == name)
                {
                    silo = candidate;
                }
            }

            if (silo is null || silo.Draining)
            {
                return;
            }

            silo.Draining = true;
            RebuildLocked();
        }

        Draining?.Invoke(silo);
    }

    /// <summary>A gateway connection dropped: replies on their way through it are lost, so every wait asks again.</summary>
    public void AbandonAll()
    {
        ClusterSilo[] silos;
        lock (_gate)
        {
            silos = [.. _silos.Values, .. _recentlyGone];
        }

        foreach (ClusterSilo silo in silos)
        {
            silo.Abandon();
        }
    }

    private static int InitialWindow(ClusterSilo silo) => Math.Max(4, 2 * silo.EffectiveCapacity);

    private static void Raise(Action<ClusterSilo>? handler, List<ClusterSilo>? silos)
    {
        if (handler is not null && silos is not null)
        {
            foreach (ClusterSilo silo in silos)
            {
                handler(silo);
            }
        }
    }

    private void SetCapacityLocked(ClusterSilo silo, int capacity)
    {
        silo.Capacity = capacity;
        silo.Window = Math.Max(silo.Window, InitialWindow(silo));
    }

    private void RemoveLocked(string address, ref List<ClusterSilo>? gone)
    {
        _removed.Add(address);
        if (_silos.Remove(address, out ClusterSilo? silo))
        {
            silo.IsGone = true;
            silo.Abandon(); // waits on it ask again: its shards' new activations answer for what it held
            (gone ??= new()).Add(silo);
            _recentlyGone.Enqueue(silo);
            if (_recentlyGone.Count > RecentlyGoneKept)
            {
                _recentlyGone.Dequeue();
            }
        }
    }

    private void RebuildLocked()
    {
        var placeable = new List<ClusterSilo>(_silos.Count);
        foreach (ClusterSilo silo in _silos.Values)
        {
            if (!silo.Draining)
            {
                placeable.Add(silo);
            }
        }

        placeable.Sort(static (a, b) => string.CompareOrdinal(a.Address, b.Address));
        Volatile.Write(ref _placeable, placeable.ToArray());
    }
}
