using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>
/// What an <see cref="OrleansExecutor"/> knows about one of its calls, kept apart from the call's future so that the
/// future can be collected while this record lives on (a dependent may still need to recompute it): the cluster ids of
/// its attempts, whether its value is here or only on the cluster, and — for a method that may run again — how to run
/// it again (its method and arguments, with the records of the calls its reference arguments name).
/// </summary>
internal sealed class ClusterCall
{
    private readonly long _session;
    private readonly object _gate = new();
    private readonly List<long> _unreleased = new(1); // sequences whose results the cluster may still hold
    private long _sequence;                           // the current attempt; 0 before the first
    private Task<bool>? _recomputing;

    public ClusterCall(long session, string methodId, int timesItMayRunAgain)
    {
        _session = session;
        MethodId = methodId;
        TimesItMayRunAgain = timesItMayRunAgain;
    }

    public string MethodId { get; }

    /// <summary>The method's <c>[Submittable(Retries = n)]</c>: it may run again, so a lost result may be recomputed (at most this many tries).</summary>
    public int TimesItMayRunAgain { get; }

    public bool MayRecompute => TimesItMayRunAgain > 0;

    /// <summary>The current attempt's id (the latest published); valid once <see cref="IsPublished"/>.</summary>
    public ClusterCallId Id => new(_session, Volatile.Read(ref _sequence));

    /// <summary>An attempt has been sent (registered with the dispatcher): dependents may reference <see cref="Id"/>.</summary>
    public bool IsPublished => Volatile.Read(ref _sequence) != 0;

    /// <summary>The arguments of the current attempt (JSON or references), kept only when <see cref="MayRecompute"/>.</summary>
    public ClusterArgument[]? Arguments { get; set; }

    /// <summary>For each reference argument of <see cref="Arguments"/>, the record of the call it names.</summary>
    public ClusterCall?[]? ArgumentCalls { get; set; }

    /// <summary>The span of the call on the client, kept with <see cref="Arguments"/>: a recompute continues its trace.</summary>
    public ActivityContext TraceContext { get; set; }

    /// <summary>The call succeeded on the cluster (its result is held there under <see cref="Id"/>).</summary>
    public volatile bool Succeeded;

    /// <summary>The value is in the future here (returned with the outcome, or fetched by a read).</summary>
    public volatile bool ValueIsLocal;

    /// <summary>The cluster no longer holds the result of <see cref="Id"/> (a dependent or a read found it gone).</summary>
    public volatile bool ResultLost;

    /// <summary>The future was garbage collected: once nothing recomputes this call, its results can go.</summary>
    public volatile bool FutureCollected;

    private int _internalWaiters;

    /// <summary>
    /// How many of the future's local readers are the executor itself (a dependent deciding what to do once this call
    /// ends): they wait for it to end, not for its value, so they do not make the value come back to the client.
    /// </summary>
    public int InternalWaiters => Volatile.Read(ref _internalWaiters);

    public void AddInternalWaiter() => Interlocked.Increment(ref _internalWaiters);

    public void RemoveInternalWaiter() => Interlocked.Decrement(ref _internalWaiters);

    /// <summary>A new attempt's id, remembered for release; <see cref="Publish"/> it once the dispatcher has registered it.</summary>
    public ClusterCallId NewAttempt(ClusterDispatcher dispatcher)
    {
        ClusterCallId id = dispatcher.NewCallId();
        lock (_gate)
        {
            _unreleased.Add(id.Sequence);
        }

        return id;
    }

    /// <summary>Makes <paramref name="id"/> the current attempt, the one dependents reference and reads fetch.</summary>
    public void Publish(ClusterCallId id) => Volatile.Write(ref _sequence, id.Sequence);

    /// <summary>The ids whose results the cluster may hold; the list is emptied (the caller releases them).</summary>
    public ClusterCallId[] TakeUnreleased()
    {
        lock (_gate)
        {
            if (_unreleased.Count == 0)
            {
                return [];
            }

            var ids = new ClusterCallId[_unreleased.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = new ClusterCallId(_session, _unreleased[i]);
            }

            _unreleased.Clear();
            return ids;
        }
    }

    /// <summary>The recompute in progress, or a new one from <paramref name="start"/> (which must return at once); one at a time.</summary>
    public Task<bool> Recompute<TState>(System.Func<ClusterCall, TState, Task<bool>> start, TState state)
    {
        lock (_gate)
        {
            if (_recomputing is { IsCompleted: false } running)
            {
                return running;
            }

            return _recomputing = start(this, state);
        }
    }
}
