using System;

namespace Pipelines.Orleans.Cluster;

/// <summary>The pause before trying a grain call again that failed in transit: 20 ms, doubling up to 1 s.</summary>
internal static class RetryDelay
{
    /// <summary>The pause before the first retry.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    /// <summary>The pause after <paramref name="delay"/>: twice as long, at most <see cref="Max"/>.</summary>
    public static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Max.Ticks));
}
