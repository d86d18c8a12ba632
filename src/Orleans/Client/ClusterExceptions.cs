using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
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
    public static Exception ToException(ClusterCallOutcome outcome, ClusterCallId callId, string? methodId)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            ClusterCallStatus.Faulted or ClusterCallStatus.ArgumentFaulted => Recreate(outcome.Error ?? new ClusterError { TypeName = typeof(Exception).FullName!, Message = "The call failed." }),
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
    /// The remote exception with its own type where that type is loaded here and has a (string, Exception) or (string)
    /// constructor, with a <see cref="RemoteException"/> carrying the remote stack as its inner exception (or as itself).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Best effort: a type that is not found falls back to RemoteException.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "Best effort: a type that is not found falls back to RemoteException.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Best effort: a constructor that is not found falls back to RemoteException.")]
    public static Exception Recreate(ClusterError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var remote = new RemoteException(error.TypeName, error.Message, error.StackTrace);
        Type? type = FindType(error.TypeName);
        if (type is null || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract)
        {
            return remote;
        }

        try
        {
            if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string), typeof(Exception)]) is { } withInner)
            {
                return (Exception)withInner.Invoke([error.Message, remote]);
            }

            if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string)]) is { } withMessage)
            {
                return (Exception)withMessage.Invoke([error.Message]);
            }
        }
        catch (TargetInvocationException)
        {
        }

        return remote;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Best effort lookup.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "Best effort lookup.")]
    private static Type? FindType(string typeName)
    {
        if (Type.GetType(typeName, throwOnError: false) is { } core)
        {
            return core;
        }

        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(typeName, throwOnError: false) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
