using System;
using Pipelines.Remoting;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Client;

/// <summary>Turns outcomes into the exceptions a future of the call should fault with.</summary>
internal static class ClusterExceptions
{
    /// <summary>
    /// The exception for a call that did not succeed: the remote exception (its type kept where it can be), a
    /// <see cref="ClusterCallLostException"/>, or <see cref="OperationCanceledException"/>. For
    /// <see cref="ClusterCallStatus.ArgumentFaulted"/> and <see cref="ClusterCallStatus.ArgumentCancelled"/> the caller
    /// should use the argument future's own exception (same instance downstream); this returns a stand-in.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is Succeeded or Pending.</exception>
    public static Exception ToException(ClusterCallOutcome outcome, ClusterCallId callId, string? methodId, RemoteExceptionFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            ClusterCallStatus.Faulted or ClusterCallStatus.ArgumentFaulted => Recreate(outcome.Error ?? new ClusterError { TypeName = typeof(Exception).FullName!, Message = "The call failed." }, factory ?? RemoteExceptionFactory.Default),
            ClusterCallStatus.Cancelled or ClusterCallStatus.ArgumentCancelled => new OperationCanceledException(
                outcome.TimedOut ? $"Cluster call {callId} ({methodId}) was cancelled by its timeout." : $"Cluster call {callId} ({methodId}) was cancelled."),
            ClusterCallStatus.Lost => new ClusterCallLostException(LostMessage(outcome, callId, methodId), outcome.LostReason, callId.ToString(), methodId, null, outcome.Silo),
            ClusterCallStatus.ArgumentLost => new ClusterCallLostException(
                $"Cluster call {callId} ({methodId}) did not run: the result of its argument {outcome.ArgumentIndex} was lost ({outcome.LostReason}).",
                outcome.LostReason, callId.ToString(), methodId, outcome.ArgumentIndex, outcome.Silo),
            _ => throw new ArgumentException($"Outcome {outcome.Status} is not a failure.", nameof(outcome)),
        };
    }

    private static string LostMessage(ClusterCallOutcome outcome, ClusterCallId callId, string? methodId) => outcome.LostReason switch
    {
        ClusterCallLostReason.SiloLost => $"Cluster call {callId} ({methodId}) was lost with its silo{(outcome.Silo is null ? string.Empty : " " + outcome.Silo)}: it may or may not have run.",
        ClusterCallLostReason.Timeout => $"Cluster call {callId} ({methodId}) got no answer within its call timeout: it may or may not have run.",
        ClusterCallLostReason.Undeliverable => $"Cluster call {callId} ({methodId}) could not be delivered to the cluster within the delivery timeout; it did not run.",
        _ => $"Cluster call {callId} ({methodId}): the cluster no longer holds it (its silo died after it finished, or its result was released or expired).",
    };

    /// <summary>
    /// The remote exception with its own type where <paramref name="factory"/> rebuilds it (a type already loaded here,
    /// and allowed), else a <see cref="RemoteException"/>; the remote stack is attached, inner exceptions are rebuilt too.
    /// </summary>
    public static Exception Recreate(ClusterError error, RemoteExceptionFactory factory)
    {
        ArgumentNullException.ThrowIfNull(error);
        return factory.Create(error.ToRecord());
    }
}
