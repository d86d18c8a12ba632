using System;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;

namespace Pipelines.Remoting;

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

    /// <summary>
    /// How many times the call may run again after a failure (<c>[Submittable(Retries = n)]</c>; 0 by default): an
    /// executor that can lose a call's result may recompute it only when this is above 0, as the method may run again.
    /// </summary>
    int Retries { get; }

    /// <summary>Claims a pending call (Pending to Running). False if it was cancelled or claimed already, or its executor is cancelling pending work.</summary>
    bool TryStart();

    /// <summary>
    /// Starts the run's time limit (the method's, or the executor's <see cref="RemoteExecutor.RunTimeLimit"/>), for an
    /// executor that sets <see cref="RemoteExecutor.StartsRunClocks"/>: call it once per run, after
    /// <see cref="TryStart"/>, when the run really begins where it runs. No effect without a limit, or when the executor
    /// does not set <see cref="RemoteExecutor.StartsRunClocks"/> (<see cref="TryStart"/> started the clock then).
    /// </summary>
    void StartRunClock();

    /// <summary>Succeeds a running call with its JSON result (faults it if the JSON does not deserialize). No effect if the call is no longer running.</summary>
    void SetResult(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options);

    /// <summary>
    /// Faults the call: a running one that threw (retried when its method allows, <c>[Submittable(Retries = n)]</c>,
    /// and the exception is not a cancellation), or a pending one that could never run.
    /// </summary>
    void SetException(Exception exception);

    /// <summary>Cancels the call, running or pending (its worker was stopped on purpose).</summary>
    void SetCanceled();

    /// <summary>
    /// Succeeds a running call whose value stays where it was computed: <paramref name="fetchJson"/> is called on the
    /// first read here (<c>GetResult</c>, <c>await</c>, a local dependent), blocking that reader; a fetch that throws
    /// throws to that reader and is tried again by the next, and the future stays Succeeded. Check
    /// <see cref="HasLocalReaders"/> first: when something here already waits for the value, fetch it and call
    /// <see cref="SetResult"/> instead.
    /// </summary>
    void SetResultFetchedOnRead(Func<byte[]> fetchJson, JsonSerializerOptions options);

    /// <summary>True if something in this process waits for the call's value (a dependent call, an awaiter, a callback, a waiter).</summary>
    bool HasLocalReaders { get; }

    /// <summary>
    /// Ends the call like <paramref name="argument"/>, one of its argument futures that did not succeed (resolved where
    /// the call runs): faulted with the same exception instance, or cancelled. The method never ran: no retry.
    /// </summary>
    void CompleteLike(Future argument);

    /// <summary>
    /// Sends a running call out again because it never ran (its input was lost), without counting it as a retry:
    /// the call goes back to Pending and <see cref="RemoteExecutor"/>'s Dispatch sees it again.
    /// </summary>
    void Redispatch();

    /// <summary>The executor's own data about this call (an id, where it runs), kept with the call and readable from its future (<see cref="RemoteExecutor.TryGetRemoteState"/>).</summary>
    object? RemoteState { get; set; }
}
