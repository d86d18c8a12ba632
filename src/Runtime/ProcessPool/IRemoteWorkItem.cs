using System;
using System.Text.Json;
using System.Threading;

namespace Pipelines.ProcessPool;

/// <summary>
/// What a process pool needs from a call to run it somewhere else and complete it from outside: claim it, watch for
/// its cancellation, and finish it with a JSON result, an exception or a cancellation. Implemented by
/// <see cref="Advanced.DependentFuture{TResult}"/> (in <c>DependentFuture.Remote.cs</c>).
/// </summary>
internal interface IRemoteWorkItem
{
    /// <summary>Claims a pending call (Pending → Running). False if it was cancelled, claimed already, or the executor is cancelling pending work.</summary>
    bool TryStartRemote();

    /// <summary>Fires when the call is cancelled or its executor shuts down with <c>cancelFutures</c>.</summary>
    CancellationToken RemoteCancellationToken { get; }

    /// <summary>Succeeds a running call with its JSON result (faults it if the JSON does not deserialize).</summary>
    void CompleteRemote(ReadOnlySpan<byte> json, JsonSerializerOptions options);

    /// <summary>Faults a running call.</summary>
    void FailRemote(Exception exception);

    /// <summary>Cancels a running call (its worker was killed on purpose).</summary>
    void CancelRemote();
}
