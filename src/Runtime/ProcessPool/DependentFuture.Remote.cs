using System;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using Pipelines.ProcessPool;

namespace Pipelines.Advanced;

// Process-pool hooks (issue 8): a call that runs in a worker process is completed from outside, by the pool, through
// the normal state transitions, so futures-as-arguments, Then, Wait and AsCompleted work across executors unchanged.
// Kept in this separate partial file, owned by the process pool; the class's own behaviour is untouched.
public abstract partial class DependentFuture<TResult> : IRemoteWorkItem
{
    CancellationToken IRemoteWorkItem.RemoteCancellationToken => GetCancellationToken();

    bool IRemoteWorkItem.TryStartRemote() => !OwnerExecutor!.IsCancellingPending && TryStart();

    void IRemoteWorkItem.CompleteRemote(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        TResult result;
        try
        {
            result = typeof(TResult) == typeof(VoidResult)
                ? default!
                : JsonSerializer.Deserialize(json, (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult)))!;
        }
        catch (Exception ex)
        {
            TryComplete(FutureState.Running, FutureState.Faulted, ExceptionDispatchInfo.Capture(ex));
            return;
        }

        CompleteRunningWith(result);
    }

    void IRemoteWorkItem.FailRemote(Exception exception) =>
        TryComplete(FutureState.Running, FutureState.Faulted, ExceptionDispatchInfo.Capture(exception));

    void IRemoteWorkItem.CancelRemote() => TryComplete(FutureState.Running, FutureState.Cancelled, null);
}
