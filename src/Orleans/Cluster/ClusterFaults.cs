using System;
using Orleans.Runtime;

namespace Pipelines.Orleans.Cluster;

/// <summary>What a failed grain call says about whether its message was delivered.</summary>
internal enum DeliveryFault
{
    /// <summary>Not a messaging failure (a bug, or the local host shutting down): do not retry.</summary>
    NotTransient,

    /// <summary>The message was never delivered (rejected before it reached the grain): sending it again is safe.</summary>
    NotDelivered,

    /// <summary>The message may or may not have been delivered (a timeout, the target silo died after it was sent).</summary>
    Unknown,
}

/// <summary>Classifies Orleans messaging failures (Orleans 10: <c>CallbackData</c>, <c>MessageCenter</c>, <c>GatewayManager</c>).</summary>
internal static class ClusterFaults
{
    public static DeliveryFault Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case SiloUnavailableException silo:
                // Orleans raises this both as a rejection ("target silo is known to be dead": never sent) and when a silo
                // dies with the request outstanding (sent: outcome unknown). Only the message tells them apart.
                if (IsLocalHostShuttingDown(silo))
                {
                    return DeliveryFault.NotTransient;
                }

                return silo.Message.StartsWith("The target silo became unavailable", StringComparison.Ordinal)
                    ? DeliveryFault.Unknown
                    : DeliveryFault.NotDelivered;
            case OrleansMessageRejectionException:
            case GatewayTooBusyException:
                return DeliveryFault.NotDelivered;
            case TimeoutException:
                return DeliveryFault.Unknown;
            case OrleansException:
                // Connection failures and the like: treat as maybe-delivered; the caller asks the grain what it knows.
                return DeliveryFault.Unknown;
            default:
                return DeliveryFault.NotTransient;
        }
    }

    /// <summary>The local client or silo is shutting down and refuses to send: nothing to retry from here.</summary>
    public static bool IsLocalHostShuttingDown(Exception exception) =>
        exception is SiloUnavailableException && exception.Message.StartsWith("The local Orleans host is shutting down", StringComparison.Ordinal);
}
