using System.Diagnostics;

namespace Pipelines.Orleans.Cluster;

/// <summary>The W3C trace context of a call as it travels in <see cref="ClusterCallRequest"/>.</summary>
internal static class TraceParent
{
    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/> (<c>00-{trace id}-{span id}-{flags}</c>); null for the default context (not traced).</summary>
    public static string? Format(ActivityContext context) =>
        context == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";
}
