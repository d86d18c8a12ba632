using System;
using System.Text.Json;

namespace Pipelines.Orleans;

/// <summary>How a client sends Pipelines calls to an Orleans cluster.</summary>
public sealed class PipelinesClusterOptions
{
    /// <summary>
    /// How many shard grains hold the calls (consecutive calls go round-robin over them; Orleans spreads the shards over the
    /// silos). Use several per silo, e.g. 16 × the largest expected number of silos. Default 64. Every client of one
    /// cluster may use its own value: references name their shard.
    /// </summary>
    public int ShardCount { get; set; } = 64;

    /// <summary>
    /// How long one wait for a call's outcome lasts before the client asks again (each wait is one grain call; keep it
    /// well below Orleans' response timeout). A dead silo is noticed within about this long plus Orleans' failure
    /// detection. Default 5 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one call may run before its silo cancels it (it then ends Cancelled, with <c>TimedOut</c> set). If no
    /// answer comes at all, the dispatcher gives up about two <see cref="PollInterval"/>s after the deadline and reports
    /// the call lost with <see cref="ClusterCallLostReason.Timeout"/>. Default: no limit (a dead silo is still noticed:
    /// see <see cref="PollInterval"/>).
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>
    /// How long a call that the cluster keeps rejecting (never delivered: no silo reachable, gateway too busy) is retried
    /// before it is reported lost with <see cref="ClusterCallLostReason.Undeliverable"/>. Default 1 minute.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How arguments and results are serialized; must match the silos'. Default: <see cref="JsonSerializerOptions.Default"/>.</summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    internal void Validate(string parameterName)
    {
        if (ShardCount < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, ShardCount, $"{nameof(ShardCount)} must be at least 1.");
        }

        PipelinesSiloOptions.CheckPositive(PollInterval, nameof(PollInterval), parameterName);
        PipelinesSiloOptions.CheckPositive(DeliveryTimeout, nameof(DeliveryTimeout), parameterName);
        if (CallTimeout is TimeSpan timeout && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            PipelinesSiloOptions.CheckPositive(timeout, nameof(CallTimeout), parameterName);
        }
    }

    internal PipelinesClusterOptions Clone() => (PipelinesClusterOptions)MemberwiseClone();
}
