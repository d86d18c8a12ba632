using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text.Json;

namespace Pipelines.Orleans;

/// <summary>How a silo runs Pipelines calls: which assemblies hold the [Submittable] methods, how they serialize, how many run at once, how long results are held.</summary>
public sealed class PipelinesSiloOptions
{
    /// <summary>
    /// The assemblies whose [Submittable] methods this silo runs (typically a library referenced by both the client and
    /// the silos). Their generated module initializers are run at silo start, which registers the methods.
    /// </summary>
    public IList<Assembly> Assemblies { get; } = new List<Assembly>();

    /// <summary>
    /// How arguments and results are serialized; must match the client's. Default: <see cref="JsonSerializerOptions.Default"/>
    /// (reflection-based); pass a source-generated context's options to stay reflection-free.
    /// </summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>
    /// The most calls this silo runs at once, on dedicated threads (blocking methods never starve Orleans' own thread pool
    /// work); default <see cref="Environment.ProcessorCount"/>. More calls wait on the silo, cancellable.
    /// </summary>
    public int? MaxConcurrentCalls { get; set; }

    /// <summary>
    /// How long a finished call's result is held after it was last read or written, when the client never releases it
    /// (a client that died). Default 30 minutes. Reading an expired result reports <see cref="ClusterCallLostReason.NotHeld"/>.
    /// </summary>
    public TimeSpan ResultTimeToLive { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long one silo-to-silo read of an argument waits for the argument's call to finish before asking again
    /// (each ask is one grain call, so at most half of Orleans' response timeout). Default (null): half of the silo's
    /// <c>ResponseTimeout</c>, at most 5 seconds.
    /// </summary>
    public TimeSpan? ReferencePollInterval { get; set; }

    /// <summary>
    /// How long a call keeps trying to reach the shard holding one of its arguments while messages to it fail in transit
    /// (its silo dying, or cut off, and not declared dead yet: once it is, the read is answered at once) before reporting
    /// that argument lost (<see cref="ClusterCallLostReason.SiloLost"/>). Default 1 minute.
    /// </summary>
    public TimeSpan ReferenceUnreachableTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a silo asked to stop drains before it goes: it takes no new calls and hands back those that have not
    /// started (their clients send them to other silos), lets running calls finish, and keeps serving the results it holds
    /// until their clients have moved them elsewhere — results of methods with <c>[Submittable(Retries = n)]</c> excepted,
    /// which can be recomputed. Whatever is left when the time is up is lost with the silo, as if it had died. Default 30
    /// seconds (zero: hand back what has not started and stop without waiting); the host's own shutdown timeout
    /// (<c>HostOptions.ShutdownTimeout</c>) must be longer, or it cuts the drain short.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate(string parameterName)
    {
        if (MaxConcurrentCalls is < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, MaxConcurrentCalls, $"{nameof(MaxConcurrentCalls)} must be at least 1.");
        }

        CheckPositive(ResultTimeToLive, nameof(ResultTimeToLive), parameterName);
        if (ReferencePollInterval is TimeSpan poll)
        {
            CheckPositive(poll, nameof(ReferencePollInterval), parameterName);
        }
        CheckPositive(ReferenceUnreachableTimeout, nameof(ReferenceUnreachableTimeout), parameterName);
        if (DrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, DrainTimeout, $"{nameof(DrainTimeout)} must not be negative (zero: hand back what has not started and stop without waiting).");
        }
        for (int i = 0; i < Assemblies.Count; i++)
        {
            if (Assemblies[i] is null)
            {
                throw new ArgumentException($"{nameof(Assemblies)}[{i}] is null.", parameterName);
            }
        }
    }

    /// <summary>The poll interval in force: <paramref name="configured"/> (checked against <paramref name="responseTimeout"/>), or half of the response timeout, at most 5 s.</summary>
    internal static TimeSpan EffectivePollInterval(TimeSpan? configured, TimeSpan? responseTimeout, string name, string parameterName)
    {
        if (configured is TimeSpan poll)
        {
            if (responseTimeout is TimeSpan limit)
            {
                CheckPollInterval(poll, limit, name, parameterName);
            }

            return poll;
        }

        TimeSpan half = (responseTimeout ?? TimeSpan.FromSeconds(10)) / 2;
        return half < TimeSpan.FromSeconds(5) ? half : TimeSpan.FromSeconds(5);
    }

    /// <summary>A long poll must end well within Orleans' response timeout, or every wait would time out.</summary>
    internal static void CheckPollInterval(TimeSpan poll, TimeSpan responseTimeout, string name, string parameterName)
    {
        if (poll > responseTimeout / 2)
        {
            throw new ArgumentOutOfRangeException(parameterName, poll,
                $"{name} ({poll.TotalSeconds:0.###} s) must be at most half of Orleans' ResponseTimeout ({responseTimeout.TotalSeconds:0.###} s), or every wait would time out.");
        }
    }

    internal static void CheckPositive(TimeSpan value, string name, string parameterName)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{name} must be positive.");
        }
    }
}
