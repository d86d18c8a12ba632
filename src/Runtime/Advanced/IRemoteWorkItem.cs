using System;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;

namespace Pipelines.Advanced;

/// <summary>
/// A call as a <see cref="RemoteExecutor"/> sees it: claim it, send it somewhere, watch for its cancellation, and
/// finish it from outside with a JSON result, an exception or a cancellation. Futures as arguments, <c>Then</c>,
/// waits, retries and timeouts then work across executors unchanged. Implemented by every call the runtime makes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public interface IRemoteWorkItem
{
    /// <summary>The call's future (the same object).</summary>
    Future Future { get; }

    /// <summary>The call's method identity and arguments, or null when it cannot run remotely (a delegate, an instance or generic method).</summary>
    IRemoteCall? Call { get; }

    /// <summary>Fires when the call is cancelled, timed out, or its executor shuts down with <c>cancelFutures</c>.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Claims a pending call (Pending to Running). False if it was cancelled or claimed already, or its executor is cancelling pending work.</summary>
    bool TryStart();

    /// <summary>Succeeds a running call with its JSON result (faults it if the JSON does not deserialize). No effect if the call is no longer running.</summary>
    void SetResult(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options);

    /// <summary>
    /// Faults the call: a running one that threw (retried when its method allows, <c>[Submittable(Retries = n)]</c>,
    /// and the exception is not a cancellation), or a pending one that could never run.
    /// </summary>
    void SetException(Exception exception);

    /// <summary>Cancels the call, running or pending (its worker was stopped on purpose).</summary>
    void SetCanceled();
}
