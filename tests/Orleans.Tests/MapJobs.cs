using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace Pipelines.OrleansTests;

/// <summary>[Submittable] methods for typed maps and remote exceptions on the cluster (the silos run in this process).</summary>
public static class MapJobs
{
    /// <summary>Items run per key, for abandoning tests.</summary>
    public static readonly ConcurrentDictionary<string, int> Ran = new();

    /// <summary>Fails for <paramref name="bad"/>, returns x * 10 otherwise.</summary>
    [Submittable] public static int TimesTenUnless(int x, int bad) => x == bad ? throw new InvalidOperationException($"item {x} is bad") : x * 10;

    /// <summary>Counts its run under <paramref name="key"/>, then sleeps.</summary>
    [Submittable] public static int CountThenSleep(string key, int x, int milliseconds)
    {
        Ran.AddOrUpdate(key, 1, (_, n) => n + 1);
        Thread.Sleep(milliseconds);
        return x;
    }

    [Submittable] public static int ThrowArgumentNull(string parameter, string message) => throw new ArgumentNullException(parameter, message);

    [Submittable] public static int ThrowWithInner(string outer, string inner) => throw new InvalidOperationException(outer, new FormatException(inner, new IOException("innermost")));
}
