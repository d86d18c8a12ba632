using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Running a call: hold it back until the shards of its reference arguments have heard of them, send it (again while
// the cluster rejects it undelivered), then wait for its outcome in bounded polls; once it may have arrived, only ask.
internal sealed partial class ClusterDispatcher
{
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
    /// from the thread pool: the caller returns without waiting for Orleans to serialize and send the message.</param>
    /// <param name="traceContext">The span of the call on the client (<c>PipelinesTelemetry.GetActivityContext</c>); sent as a
    /// W3C <c>traceparent</c> so the silo continues the trace. Default: not traced, nothing is sent.</param>
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
        ActivityContext traceContext = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodId);
        ArgumentNullException.ThrowIfNull(arguments);
        var array = new ClusterArgument[arguments.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = arguments[i] ?? throw new ArgumentNullException(nameof(arguments), $"arguments[{i}] is null.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var track = new CallTrack();
        if (!_calls.TryAdd(callId, track))
        {
            throw new ArgumentException($"Call {callId} was already run through this dispatcher; every Run needs a new id from NewCallId().", nameof(callId));
        }

        ICallShardGrain shard = ShardOf(callId);
        if (cancellationToken.IsCancellationRequested)
        {
            return CancelledBeforeSending(track, shard, callId);
        }

        timeout ??= _options.CallTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            timeout = null;
        }

        if (sendFromThreadPool)
        {
            await default(ThreadPoolSwitch);
        }

        // Hold the call back until the shards of its reference arguments have heard of them: Orleans does not order
        // messages to different grains, and a shard that has heard of a call and then does not know it has lost it.
        try
        {
            foreach (ClusterArgument argument in array)
            {
                if (argument.IsReference && _calls.TryGetValue(argument.Reference, out CallTrack? source) && !source.Heard.Task.IsCompleted)
                {
                    await source.Heard.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CancelledBeforeSending(track, shard, callId);
        }

        ClusterCallRequest? request = null;
        string? traceParent = TraceParent.Format(traceContext);

        long started = Stopwatch.GetTimestamp();
        bool mayHaveArrived = false; // false while every attempt so far was rejected undelivered
        TimeSpan delay = RetryDelay.First;
        // Registered before the first send: a Cancel that overtakes its Run leaves a tombstone, so the Run never runs.
        CancellationTokenRegistration cancelRegistration = RegisterCancel(cancellationToken, shard, callId);
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested && !mayHaveArrived)
                {
                    return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled }; // it never reached the cluster
                }

                if (watcher?.Abandoned == true && cancellationToken.IsCancellationRequested)
                {
                    // Nobody waits for the outcome any more (the call ended here, e.g. by its timeout) and the shard was told
                    // to cancel it: stop asking. Whatever it ends with stays on its shard until released.
                    return new ClusterCallOutcome { Status = ClusterCallStatus.Cancelled };
                }

                bool wantResult = returnResult || watcher?.WantsResult == true;

                TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                if (timeout is TimeSpan limit && elapsed > limit + _pollInterval)
                {
                    _ = SendCancel(shard, callId);
                    return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Timeout));
                }

                ClusterCallOutcome outcome;
                try
                {
                    if (mayHaveArrived)
                    {
                        outcome = await shard.Wait(callId, _pollInterval, wantResult).ConfigureAwait(false);
                    }
                    else
                    {
                        if (request is null || request.ReturnResult != wantResult)
                        {
                            request = new ClusterCallRequest
                            {
                                CallId = callId,
                                MethodId = methodId,
                                Arguments = array,
                                Timeout = timeout,
                                ReturnResult = wantResult,
                                TraceParent = traceParent,
                                TraceState = traceParent is null ? null : traceContext.TraceState,
                            };
                        }

                        outcome = await shard.Run(request, s_firstWait < _pollInterval ? s_firstWait : _pollInterval).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ClusterFaults.Classify(ex) is DeliveryFault fault && fault != DeliveryFault.NotTransient)
                {
                    if (fault == DeliveryFault.NotDelivered && !mayHaveArrived)
                    {
                        if (elapsed > _options.DeliveryTimeout)
                        {
                            return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Undeliverable));
                        }

                        Interlocked.Increment(ref _redeliveries);
                    }
                    else
                    {
                        // Maybe delivered: from now on only ask. A shard that never heard of it answers Lost.
                        mayHaveArrived = true;

                        Interlocked.Increment(ref _unknownDeliveries);
                    }

                    LogRetry(_logger, callId, fault, ex.GetType().Name, ex.Message);
                    await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
                    delay = RetryDelay.Next(delay);
                    continue;
                }

                mayHaveArrived = true;
                track.Heard.TrySetResult(); // dependents held back for it may go now

                delay = RetryDelay.First;
                if (outcome.IsDone)
                {
                    if (outcome.Status == ClusterCallStatus.Succeeded && outcome.Result is not null)
                    {
                        Interlocked.Increment(ref _fetches);
                    }

                    return outcome.Status is ClusterCallStatus.Lost ? Lost(outcome) : outcome;
                }
            }
        }
        finally
        {
            track.Heard.TrySetResult(); // done, lost or failed: its shard knows it, or it is gone; either way do not hold dependents
            await cancelRegistration.DisposeAsync().ConfigureAwait(false);
        }
    }
}
