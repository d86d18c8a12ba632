using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Remoting;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans;

// How an attempt's outcome finishes its work item: success (with the value here, or fetched on first read), the
// method's exception, cancellation, a lost outcome (the runtime retries it when the method allows), and an argument
// that failed or was lost on the cluster (the argument's own failure, or the call sent again once the argument is back).
public sealed partial class OrleansExecutor
{
    private async Task RunAttemptAsync(Attempt attempt)
    {
        ClusterCallOutcome outcome;
        try
        {
            outcome = await _dispatcher.RunAsync(
                attempt.Id, attempt.Call.MethodId, attempt.Arguments, returnResult: false, timeout: Timeout.InfiniteTimeSpan, // the call's own clock
                attempt.Item.CancellationToken, watcher: attempt, sendFromThreadPool: true, attempt.TraceContext, attempt.Record.MayRecompute).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not the call's outcome: the local Orleans client stopped under it (or refused to send).
            attempt.Item.SetException(new ClusterCallLostException(
                $"Cluster call {attempt.Id} ({attempt.Call.MethodId}) of '{Name}' could not be completed: {ex.Message}",
                ClusterCallLostReason.ClientStopped, attempt.Id.ToString(), attempt.Call.MethodId, innerException: ex));
            return;
        }

        try
        {
            await FinishAsync(attempt, outcome).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFinishFailed(_logger, attempt.Id, ex);
            attempt.Item.SetException(ex);
        }
    }

    private async Task FinishAsync(Attempt attempt, ClusterCallOutcome outcome)
    {
        IRemoteWorkItem item = attempt.Item;
        ClusterCall record = attempt.Record;
        switch (outcome.Status)
        {
            case ClusterCallStatus.Succeeded:
                if (outcome.Silo is { } silo)
                {
                    _succeededBySilo.AddOrUpdate(silo, 1, static (_, n) => n + 1);
                }

                if (FailedReference(attempt) is { } failed)
                {
                    // The argument's call ended otherwise here (its timeout fired, it was cancelled) though the silo had
                    // its value: end like it, as a call waiting for it locally would have.
                    item.CompleteLike(failed);
                    return;
                }

                // The flags first: the completion may drain the executor, which decides from them what to release.
                record.ResultLost = false;
                record.Succeeded = true;
                if (outcome.Result is { } json)
                {
                    record.ValueIsLocal = true;
                    item.SetResult(json, JsonOptions);
                }
                else if (HasReaders(item, record))
                {
                    // Someone started waiting after the last message went out: fetch without blocking anybody.
                    ClusterCallOutcome fetched = await _dispatcher.FetchAsync(attempt.Id).ConfigureAwait(false);
                    if (fetched.Status == ClusterCallStatus.Succeeded)
                    {
                        record.ValueIsLocal = true;
                        item.SetResult(fetched.Result, JsonOptions);
                    }
                    else
                    {
                        record.Succeeded = false;
                        item.SetException(ClusterExceptions.ToException(fetched, attempt.Id, attempt.Call.MethodId, RemoteExceptions));
                    }
                }
                else
                {
                    item.SetResultFetchedOnRead(() => FetchOnRead(record), JsonOptions);
                }

                return;
            case ClusterCallStatus.Faulted:
                item.SetException(ClusterExceptions.ToException(outcome, attempt.Id, attempt.Call.MethodId, RemoteExceptions));
                return;
            case ClusterCallStatus.Cancelled:
                item.SetCanceled();
                return;
            case ClusterCallStatus.Lost:
                item.SetException(ClusterExceptions.ToException(outcome, attempt.Id, attempt.Call.MethodId, RemoteExceptions));
                return;
            default:
                await ArgumentFailedAsync(attempt, outcome).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// The call did not run because argument <see cref="ClusterCallOutcome.ArgumentIndex"/> failed, was cancelled or was
    /// lost on the cluster. That argument is a call of this executor; its future here has the last word.
    /// </summary>
    private async Task ArgumentFailedAsync(Attempt attempt, ClusterCallOutcome outcome)
    {
        IRemoteWorkItem item = attempt.Item;
        int index = outcome.ArgumentIndex;
        Future? argument = index >= 0 && index < attempt.Arguments.Length ? attempt.Call.GetArgumentFuture(index) : null;
        ClusterCall? source = argument is null ? null : attempt.ArgumentCalls?[index];
        if (argument is null || source is null)
        {
            item.SetException(ClusterExceptions.ToException(outcome, attempt.Id, attempt.Call.MethodId, RemoteExceptions));
            return;
        }

        if (!argument.IsDone)
        {
            // The attempt it referenced failed, and the argument is being retried (or its outcome is on its way here).
            // Waiting for it to end is not reading its value: the value stays on the cluster.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            source.AddInternalWaiter();
            argument.OnDone(_ =>
            {
                source.RemoveInternalWaiter();
                done.TrySetResult();
            });
            try
            {
                await done.Task.WaitAsync(item.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                item.SetCanceled(); // cancelled while waiting; the method never ran
                return;
            }
        }

        if (argument.State != FutureState.Succeeded)
        {
            item.CompleteLike(argument); // the same exception instance, or cancelled; never retried
            return;
        }

        if (attempt.Arguments[index].Reference != source.Id)
        {
            Redispatch(item, attempt, "it referenced an earlier attempt of argument " + index);
            return;
        }

        if (outcome.Status == ClusterCallStatus.ArgumentLost)
        {
            source.ResultLost = true;
            if (source.ValueIsLocal)
            {
                Redispatch(item, attempt, $"argument {index}'s result was lost; its value is sent from here");
                return;
            }

            if (source.MayRecompute)
            {
                bool recomputed;
                try
                {
                    recomputed = await Recompute(source).WaitAsync(item.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    item.SetCanceled();
                    return;
                }

                if (recomputed)
                {
                    Redispatch(item, attempt, $"argument {index}'s lost result was recomputed");
                    return;
                }
            }
        }

        item.SetException(ClusterExceptions.ToException(outcome, attempt.Id, attempt.Call.MethodId, RemoteExceptions));
    }

    private void Redispatch(IRemoteWorkItem item, Attempt attempt, string why)
    {
        Interlocked.Increment(ref _redispatched);
        LogRedispatch(_logger, attempt.Id, attempt.Call.MethodId, why);
        item.Redispatch();
    }

    /// <summary>True if something here waits for the call's value: a reader other than the executor's own waits.</summary>
    private static bool HasReaders(IRemoteWorkItem item, ClusterCall record) => item.HasLocalReaders && record.InternalWaiters == 0;

    /// <summary>A reference argument whose future here ended other than Succeeded, or null.</summary>
    private static Future? FailedReference(Attempt attempt)
    {
        if (attempt.ArgumentCalls is not { } sources)
        {
            return null;
        }

        for (int i = 0; i < sources.Length; i++)
        {
            if (sources[i] is not null && attempt.Call.GetArgumentFuture(i) is { IsDone: true, State: not FutureState.Succeeded } failed)
            {
                return failed;
            }
        }

        return null;
    }

    /// <summary>
    /// The first read of a value that stayed on the cluster (called by the reader, who blocks on it). A result the
    /// cluster lost is recomputed when its method may run again; otherwise the read throws, and the next read tries again.
    /// </summary>
    private byte[] FetchOnRead(ClusterCall record)
    {
        ClusterCallOutcome outcome = _dispatcher.FetchAsync(record.Id).GetAwaiter().GetResult();
        if (outcome.Status != ClusterCallStatus.Succeeded && record.MayRecompute && !_drained)
        {
            record.ResultLost = true;
            if (Recompute(record).GetAwaiter().GetResult())
            {
                outcome = _dispatcher.FetchAsync(record.Id).GetAwaiter().GetResult();
            }
        }

        if (outcome.Status != ClusterCallStatus.Succeeded)
        {
            record.ResultLost = true;
            throw ClusterExceptions.ToException(outcome, record.Id, record.MethodId, RemoteExceptions);
        }

        record.ValueIsLocal = true;
        if (_drained)
        {
            Release(record); // no call can reference it any more
        }

        return outcome.Result!;
    }

    /// <summary>One attempt at running a call: what was sent, and what the dispatcher asks about while it waits.</summary>
    private sealed class Attempt(IRemoteWorkItem item, IRemoteCall call, ClusterCall record, ClusterCallId id, ClusterArgument[] arguments, ClusterCall?[]? argumentCalls, ActivityContext traceContext) : ICallWatcher
    {
        public IRemoteWorkItem Item { get; } = item;

        public IRemoteCall Call { get; } = call;

        public ClusterCall Record { get; } = record;

        public ClusterCallId Id { get; } = id;

        public ClusterArgument[] Arguments { get; } = arguments;

        /// <summary>Per argument, the record of the call a reference names (null for values).</summary>
        public ClusterCall?[]? ArgumentCalls { get; } = argumentCalls;

        /// <summary>The call's span on the client (default when it is not traced), sent for the silo to continue.</summary>
        public ActivityContext TraceContext { get; } = traceContext;

        public bool WantsResult => HasReaders(Item, Record);

        public bool Abandoned => Item.Future.IsDone;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster call {CallId} ({MethodId}) is sent again: {Why}.")]
    private static partial void LogRedispatch(ILogger logger, ClusterCallId callId, string methodId, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Finishing cluster call {CallId} failed.")]
    private static partial void LogFinishFailed(ILogger logger, ClusterCallId callId, Exception exception);
}
