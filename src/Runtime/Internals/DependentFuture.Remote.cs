using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using Pipelines.Remoting;

namespace Pipelines.Internals;

// The view a RemoteExecutor has of a call: it is completed from outside, through the same state transitions, so
// futures as arguments, Then, waits, retries and timeouts work across executors unchanged.
public abstract partial class DependentFuture<TResult> : IRemoteWorkItem
{
    Future IRemoteWorkItem.Future => this;

    IRemoteCall? IRemoteWorkItem.Call => this as IRemoteCall;

    CancellationToken IRemoteWorkItem.CancellationToken => GetCancellationToken();

    int IRemoteWorkItem.Retries => Math.Max(0, Retries);

    bool IRemoteWorkItem.TryStart() => TryBeginRun();

    void IRemoteWorkItem.StartRunClock()
    {
        if (OwnerExecutor!.StartsRunClocksOnRun)
        {
            StartRunClock(); // else TryStart started it, and starting it again would restart it
        }
    }

    void IRemoteWorkItem.SetResult(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options)
    {
        TResult result;
        try
        {
            result = ReadRemoteResult(resultJson, options);
        }
        catch (Exception ex)
        {
            TryComplete(FutureState.Running, FutureState.Faulted, FutureException.Capture(ex, observed: false));
            return;
        }

        CompleteRunningWith(result);
    }

    void IRemoteWorkItem.SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        FutureException holder = FutureException.Capture(exception, observed: false);
        if (!TryComplete(FutureState.Pending, FutureState.Faulted, holder))
        {
            holder.MarkObserved(); // not this future's to report: a running call fails below (or is retried) with its own
            FailRunning(exception);
        }
    }

    bool IRemoteWorkItem.HasLocalReaders => HasLocalReaders;

    object? IRemoteWorkItem.RemoteState
    {
        get => RemoteState;
        set => RemoteState = value;
    }

    void IRemoteWorkItem.SetResultFetchedOnRead(Func<byte[]> fetchJson, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(fetchJson);
        ArgumentNullException.ThrowIfNull(options);
        if (typeof(TResult) == typeof(VoidResult))
        {
            CompleteRunningWith(default(TResult)!);
            return;
        }

        CompleteRunningWithDeferred(() => ReadRemoteResult(fetchJson(), options));
    }

    /// <summary>The call's result from the JSON its method wrote where it ran (a chunk of a map reads its own format).</summary>
    private protected virtual TResult ReadRemoteResult(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options) =>
        typeof(TResult) == typeof(VoidResult)
            ? default!
            : JsonSerializer.Deserialize(resultJson, (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult)))!;

    void IRemoteWorkItem.CompleteLike(Future argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!argument.IsDone || argument.State == FutureState.Succeeded)
        {
            throw new ArgumentException("The argument future has not failed or been cancelled.", nameof(argument));
        }

        if (!TryCompleteLike(argument, FutureState.Running))
        {
            TryCompleteLike(argument, FutureState.Pending);
        }
    }

    void IRemoteWorkItem.Redispatch()
    {
        if (TryReturnToPending())
        {
            SetAttemptTimer(null);
            OwnerExecutor!.Enqueue(this, readiedBy: null);
        }
    }

    void IRemoteWorkItem.SetCanceled()
    {
        if (!TryComplete(FutureState.Running, FutureState.Cancelled, null))
        {
            TryComplete(FutureState.Pending, FutureState.Cancelled, null);
        }
    }
}
