using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace Pipelines.Tests;

/// <summary>What the order tests record: the names of the calls, in the order a pool ran them.</summary>
public sealed class RunOrder
{
    private readonly ConcurrentQueue<string> _names = new();

    public string[] Names => _names.ToArray();

    public void Add(string name) => _names.Enqueue(name);
}

/// <summary>The jobs of the order tests.</summary>
public static partial class OrderJobs
{
    /// <summary>Records that it ran.</summary>
    [Submittable]
    public static string Record(RunOrder order, string name)
    {
        order.Add(name);
        return name;
    }

    /// <summary>Records that it ran, after its input (a future of another executor) completed.</summary>
    [Submittable]
    public static string RecordAfter(RunOrder order, string input, string name)
    {
        order.Add(name);
        return input + name;
    }

    /// <summary>Holds its worker until <paramref name="release"/> is set.</summary>
    [Submittable]
    public static bool Hold(ManualResetEventSlim started, ManualResetEventSlim release)
    {
        started.Set();
        return release.Wait(Wait.Long);
    }

    /// <summary>Fails its first run with an <see cref="IOException"/>, then records that it ran.</summary>
    [Submittable(Retries = 1)]
    public static string FailOnceThenRecord(RunOrder order, RunCounter runs, string name)
    {
        if (runs.Increment() == 1)
        {
            throw new IOException("transient");
        }

        order.Add(name);
        return name;
    }
}
