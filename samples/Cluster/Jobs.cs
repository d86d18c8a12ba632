using System.Security.Cryptography;
using System.Text;
using Pipelines;

namespace ClusterSample;

/// <summary>
/// The sample's [Submittable] methods. The silo processes are this same executable, so the generated module initializer
/// registers them there too (siloBuilder.AddPipelines(typeof(Jobs).Assembly) makes sure it has run).
/// </summary>
public static class Jobs
{
    /// <summary>
    /// Makes chunk <paramref name="index"/> of a deterministic data set and returns its SHA-256, hex; <paramref name="workMilliseconds"/>
    /// of extra simulated work. Pure, so <c>Retries</c> is safe: a call lost with its silo runs again, a lost result is recomputed.
    /// </summary>
    [Submittable(Retries = 3)]
    public static string DigestChunk(int index, int workMilliseconds)
    {
        byte[] data = new byte[64 * 1024];
        new Random(index).NextBytes(data);
        if (workMilliseconds > 0)
        {
            Thread.Sleep(workMilliseconds);
        }

        return Convert.ToHexStringLower(SHA256.HashData(data));
    }

    /// <summary>The digest of two digests: one inner node of the Merkle tree. Pure, like <see cref="DigestChunk"/>.</summary>
    [Submittable(Retries = 3)]
    public static string Combine(string left, string right) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(left + right)));

    /// <summary>The smallest possible call, for measuring per-call overhead.</summary>
    [Submittable]
    public static int Add(int a, int b) => a + b;

    /// <summary>
    /// Holds a worker thread for <paramref name="milliseconds"/>, then returns <paramref name="value"/>: a call of known
    /// length that may not run again (no <c>Retries</c>), so losing it would show. The tests' steady load.
    /// </summary>
    [Submittable]
    public static int Work(int value, int milliseconds)
    {
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }

        return value;
    }

    /// <summary>The Merkle root computed locally, to check the cluster's answer.</summary>
    public static string LocalRoot(int leaves)
    {
        var level = Enumerable.Range(0, leaves).Select(i => DigestChunk(i, 0)).ToList();
        while (level.Count > 1)
        {
            var next = new List<string>();
            for (int i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 < level.Count ? Combine(level[i], level[i + 1]) : level[i]);
            }

            level = next;
        }

        return level[0];
    }
}
