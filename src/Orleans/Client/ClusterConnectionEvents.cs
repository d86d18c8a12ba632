using System;
using Orleans;

namespace Pipelines.Orleans.Client;

/// <summary>
/// Orleans tells a client when one of its gateway connections closes. Replies on their way through that gateway are
/// lost, and Orleans itself would notice only at the response timeout: the dispatchers of this client ask again at once.
/// Registered by <c>AddPipelinesOrleans</c>.
/// </summary>
internal sealed class ClusterConnectionEvents : IClusterConnectionStatusObserver
{
    /// <summary>A gateway connection closed (or the last one did).</summary>
    public event Action? GatewayLost;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            GatewayLost?.Invoke();
        }
    }

    public void NotifyClusterConnectionLost() => GatewayLost?.Invoke();
}
