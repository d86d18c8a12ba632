using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

// Sending a call to its shard and waiting there for its outcome: send it again while the cluster rejects it undelivered;
// once it may have arrived, send it again only as a repeat (its shard runs it at most once) while its silo is in the
// cluster, and only ask once the silo is gone; wait in bounded polls, abandoned when the silo goes or a gateway
// connection drops.
internal sealed partial class ClusterDispatcher
{
    /// <summary>Sends the call to its leased shard and waits for its outcome there.</summary>
    private async Task<ClusterCallOutcome> SendAsync(
        ClusterCallId callId, SlotLease lease, string methodId, ClusterArgument[] arguments, bool returnResult, TimeSpan? timeout,
        CancellationToken cancellationToken, ICallWatcher? watcher, ActivityContext traceContext, bool mayRunAgain, int resend)
    {
        ICallShardGrain shard = lease.Shard;
        ClusterCallRequest? request = null;
        string? traceParent = TraceParent.Format(traceContext);
        long started = Stopwatch.GetTimestamp();
        bool mayHaveArrived = false; // false while every attempt so far was rejected undelivered, or abandoned unanswered
        bool repeat = false;         // an attempt was abandoned unanswered: the Run may have arrived
        var retry = default(TransientRetry);

        // Registered before the first send: a Cancel that overtakes its Run leaves a tombstone, so the Run never runs.
        CancellationTokenRegistration cancelRegistration = RegisterCancel(cancellationToken, shard, callId);
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested && !mayHaveArrived && !repeat)
                {
                    return Cancelled(); // it never reached the cluster
                }

                if (repeat && lease.Silo.IsGone)
                {
                    mayHaveArrived = true; // its silo left while the Run's fate was unknown: only ask (a new activation answers Lost)
                }

                if (watcher?.Abandoned == true && cancellationToken.IsCancellationRequested)
                {
                    // Nobody waits for the outcome any more (the call ended here, e.g. by its timeout) and the shard was told
                    // to cancel it: stop asking. Whatever it ends with stays on its shard until released.
                    return Cancelled();
                }

                bool wantResult = returnResult || watcher?.WantsResult == true;

                TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                if (timeout is TimeSpan limit && elapsed > limit + _pollInterval)
                {
                    _ = SendCancel(shard, callId);
                    return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Timeout));
                }

                ClusterCallOutcome outcome;
                CancellationToken abandon = lease.Silo.AbandonToken;
                try
                {
                    if (mayHaveArrived)
                    {
                        outcome = await shard.Wait(callId, _pollInterval, wantResult).WaitAsync(abandon).ConfigureAwait(false);
                    }
                    else
                    {
                        if (request is null || request.ReturnResult != wantResult || request.Repeat != repeat)
                        {
                            request = new ClusterCallRequest
                            {
                                CallId = callId,
                                MethodId = methodId,
                                Arguments = arguments,
                                Timeout = timeout,
                                ReturnResult = wantResult,
                                TraceParent = traceParent,
                                TraceState = traceParent is null ? null : traceContext.TraceState,
                                MayRunAgain = mayRunAgain,
                                Repeat = repeat,
                                Resend = resend,
                            };
                        }

                        outcome = await shard.Run(request, s_firstWait < _pollInterval ? s_firstWait : _pollInterval).WaitAsync(abandon).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                {
                    // The silo is gone (its shard's new activation answers for what it held: ask it), or a gateway connection
                    // dropped and the reply may have been on its way through it (ask again: a repeated Run never runs twice).
                    Interlocked.Increment(ref _abandonedWaits);
                    if (lease.Silo.IsGone)
                    {
                        mayHaveArrived = true;
                    }
                    else if (!mayHaveArrived)
                    {
                        repeat = true;
                    }

                    continue;
                }
                catch (Exception ex) when (TransientRetry.IsTransient(ex, out DeliveryFault fault))
                {
                    if (fault == DeliveryFault.NotDelivered && !mayHaveArrived)
                    {
                        if (elapsed > _options.DeliveryTimeout)
                        {
                            return Lost(ClusterCallOutcome.Lost(ClusterCallLostReason.Undeliverable));
                        }

                        Interlocked.Increment(ref _redeliveries);
                    }
                    else if (!mayHaveArrived && !lease.Silo.IsGone)
                    {
                        // Maybe delivered (a timeout, a connection that closed under it) to a silo that is still in the
                        // cluster: send it again as a repeat, which its shard runs only if it never got it.
                        repeat = true;
                        Interlocked.Increment(ref _unknownDeliveries);
                    }
                    else
                    {
                        // Maybe delivered, and its silo is gone (or it was being waited on): from now on only ask. A shard
                        // that never heard of it answers Lost.
                        mayHaveArrived = true;
                        Interlocked.Increment(ref _unknownDeliveries);
                    }

                    LogRetry(_logger, callId, fault, ex.GetType().Name, ex.Message);
                    await retry.PauseAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                mayHaveArrived = true;
                retry.Reset();
                if (outcome.IsDone)
                {
                    if (outcome.Status == ClusterCallStatus.Succeeded && outcome.Result is not null)
                    {
                        // A small result comes along unasked: kept if someone here waits for it now, else dropped (it stays
                        // on its shard, read when needed).
                        if (returnResult || watcher?.WantsResult == true)
                        {
                            Interlocked.Increment(ref _fetches);
                        }
                        else
                        {
                            outcome = outcome.WithoutResult();
                        }
                    }

                    return outcome.Status is ClusterCallStatus.Lost ? Lost(outcome) : outcome;
                }
            }
        }
        finally
        {
            await cancelRegistration.DisposeAsync().ConfigureAwait(false);
        }
    }
}
