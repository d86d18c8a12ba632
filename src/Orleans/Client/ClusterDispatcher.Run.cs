using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Running a call: wait here for the calls its reference arguments name, take a slot on a silo, send it there
// (ClusterDispatcher.Send.cs). A call that a draining silo hands back, or whose argument moved while it was on its way,
// never ran: it goes elsewhere under the same id.
internal sealed partial class ClusterDispatcher
{
    // How often one call is sent again after a silo answered that it did not run it (a rolling restart hands a call back
    // at most once per silo).
    private const int MaxResends = 16;

    /// <summary>
    /// Runs one call on the cluster and returns its outcome: <see cref="ClusterCallStatus.Succeeded"/> (its result is held
    /// on the cluster for <see cref="FetchAsync"/> and for dependents, and returned here too with
    /// <paramref name="returnResult"/>), Faulted, Cancelled, an argument's failure, or Lost (outcome unknown).
    /// </summary>
    /// <param name="callId">From <see cref="NewCallId"/>; one Run per id.</param>
    /// <param name="methodId">The [Submittable] method's documentation id (<c>IRemoteCall.MethodId</c>).</param>
    /// <param name="arguments">Per parameter: <see cref="ClusterArgument.FromJson"/> or <see cref="Reference"/>.</param>
    /// <param name="returnResult">Return the result JSON with the outcome (saves a <see cref="FetchAsync"/> when the client will read it).</param>
    /// <param name="timeout">Overrides <see cref="OrleansExecutorOptions.CallTimeout"/> for this call.</param>
    /// <param name="cancellationToken">Cancels the call: if it has not started it never runs; if it runs, its token is signalled on the silo.</param>
    /// <param name="watcher">Asked before each message whether the caller now wants the result returned with the outcome, and while
    /// waiting whether it still wants the outcome at all.</param>
    /// <param name="sendFromThreadPool">Register the call now (so references to it and its cancellation work at once), but send it
    /// from the thread pool when other calls are on their way: the caller returns without waiting for Orleans to serialize and
    /// send the message. A call on its own is sent from the caller's thread (one hop less).</param>
    /// <param name="traceContext">The span of the call on the client (<c>PipelinesTelemetry.GetActivityContext</c>); sent as a
    /// W3C <c>traceparent</c> so the silo continues the trace. Default: not traced, nothing is sent.</param>
    /// <param name="mayRunAgain">The method may run again (<c>[Submittable(Retries = n)]</c>): a draining silo need not keep its result.</param>
    /// <exception cref="ArgumentNullException"><paramref name="methodId"/> or <paramref name="arguments"/> (or one of them) is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="methodId"/> is empty, or <paramref name="callId"/> was run before.</exception>
    /// <exception cref="ObjectDisposedException">The dispatcher was disposed.</exception>
    public async Task<ClusterCallOutcome> RunAsync(
        ClusterCallId callId,
        string methodId,
        IReadOnlyList<ClusterArgument> arguments,
        bool returnResult = false,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default,
        ICallWatcher? watcher = null,
        bool sendFromThreadPool = false,
        ActivityContext traceContext = default,
        bool mayRunAgain = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodId);
        ArgumentNullException.ThrowIfNull(arguments);
        var array = new ClusterArgument[arguments.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = arguments[i] ?? throw new ArgumentNullException(nameof(arguments), $"arguments[{i}] is null.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var track = new CallTrack(mayRunAgain);
        if (!_calls.TryAdd(callId, track))
        {
            throw new ArgumentException($"Call {callId} was already run through this dispatcher; every Run needs a new id from NewCallId().", nameof(callId));
        }

        ClusterCallOutcome? outcome = null;
        Interlocked.Increment(ref _running);
        try
        {
            timeout ??= _options.CallTimeout;
            outcome = await RunCoreAsync(callId, track, methodId, array, returnResult, timeout == Timeout.InfiniteTimeSpan ? null : timeout,
                cancellationToken, watcher, sendFromThreadPool, traceContext).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            Interlocked.Decrement(ref _running);

            // Dependents held back for it go now: with its outcome, or, if the local client failed under it, as lost.
            track.Done.TrySetResult(outcome ?? ClusterCallOutcome.Lost(ClusterCallLostReason.ClientStopped));
            if (outcome?.Status == ClusterCallStatus.Succeeded && track.Silo is { Draining: true })
            {
                _ = MoveAsync(callId, track); // it finished on a silo that is leaving
            }
        }
    }

    private async Task<ClusterCallOutcome> RunCoreAsync(
        ClusterCallId callId, CallTrack track, string methodId, ClusterArgument[] arguments, bool returnResult, TimeSpan? timeout,
        CancellationToken cancellationToken, ICallWatcher? watcher, bool sendFromThreadPool, ActivityContext traceContext)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Cancelled();
        }

        if (sendFromThreadPool && Volatile.Read(ref _running) > 1)
        {
            // Others are on their way (a burst): the submitting thread returns at once and Orleans serializes this one on
            // the thread pool. A call on its own is sent from here: one hop less on its way.
            await default(ThreadPoolSwitch);
        }

        if (await AwaitArgumentsAsync(arguments, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        SlotLease? lease = null;
        int backlog = -1;
        try
        {
            for (int resend = 0; ; resend++)
            {
                try
                {
                    lease = await _placement.AcquireAsync(_options.DeliveryTimeout, cancellationToken, dependent: HasReferences(arguments)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Cancelled(); // it never left here
                }
                catch (TimeoutException)
                {
                    return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Undeliverable));
                }

                track.PlaceAt(lease.ShardKey, lease.Silo);
                ClusterCallOutcome outcome = await SendAsync(callId, lease, methodId, arguments, returnResult, timeout, cancellationToken,
                    watcher, traceContext, track.MayRunAgain, resend).ConfigureAwait(false);
                backlog = outcome.Backlog;
                bool neverRan = outcome.Status == ClusterCallStatus.HandedBack
                    || (outcome.Status == ClusterCallStatus.ArgumentLost && RefreshMovedArguments(arguments));
                if (!neverRan)
                {
                    return outcome;
                }

                // It never ran there: send it again, elsewhere (a draining silo is placed on no more).
                if (outcome.Status == ClusterCallStatus.HandedBack)
                {
                    Interlocked.Increment(ref _handedBack);
                    _placement.MarkDraining(outcome.Silo ?? lease.Silo.Name); // the silo that answered (a gone silo's key may answer from another)
                }

                _placement.Release(lease, backlog);
                if (resend + 1 >= MaxResends)
                {
                    return outcome.Status == ClusterCallStatus.HandedBack ? Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Undeliverable)) : outcome;
                }
            }
        }
        finally
        {
            if (lease is not null)
            {
                _placement.Release(lease, backlog);
            }
        }
    }

    /// <summary>
    /// Waits for the calls of this dispatcher that <paramref name="arguments"/> reference, and points the references at
    /// where their results are now. Null when all succeeded; else the outcome that ends this call without sending it.
    /// </summary>
    private async Task<ClusterCallOutcome?> AwaitArgumentsAsync(ClusterArgument[] arguments, CancellationToken cancellationToken)
    {
        for (int i = 0; i < arguments.Length; i++)
        {
            ClusterArgument argument = arguments[i];
            if (!argument.IsReference || !_calls.TryGetValue(argument.Reference, out CallTrack? source))
            {
                continue; // a value, or a call of another dispatcher (sent as given)
            }

            if (!source.Done.Task.IsCompleted)
            {
                try
                {
                    await source.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Cancelled();
                }
            }

            ClusterCallOutcome done = source.Done.Task.Result;
            if (done.Status != ClusterCallStatus.Succeeded)
            {
                return done.AsArgumentOutcome(i);
            }

            arguments[i] = new ClusterArgument { Reference = argument.Reference, ReferenceShard = source.Shard };
        }

        return null;
    }

    /// <summary>Points references whose results moved since they were sent at where they are now; true if any moved.</summary>
    private bool RefreshMovedArguments(ClusterArgument[] arguments)
    {
        bool moved = false;
        for (int i = 0; i < arguments.Length; i++)
        {
            ClusterArgument argument = arguments[i];
            if (argument.IsReference && _calls.TryGetValue(argument.Reference, out CallTrack? source)
                && source.Shard is { } now && !string.Equals(now, argument.ReferenceShard, StringComparison.Ordinal))
            {
                arguments[i] = new ClusterArgument { Reference = argument.Reference, ReferenceShard = now };
                moved = true;
            }
        }

        return moved;
    }

    private static ClusterCallOutcome Cancelled() => new() { Status = ClusterCallStatus.Cancelled };

    private static bool HasReferences(ClusterArgument[] arguments)
    {
        foreach (ClusterArgument argument in arguments)
        {
            if (argument.IsReference)
            {
                return true;
            }
        }

        return false;
    }
}
