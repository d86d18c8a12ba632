namespace Pipelines.Benchmarks;

/// <summary>The trivial calls every benchmark submits: the cost measured is the plumbing, not the work.</summary>
public static partial class Jobs
{
    [Submittable]
    public static int Inc(int x) => x + 1;

    [Submittable]
    public static long Add(long a, long b) => a + b;

    // The diamond: Load feeds Left and Right, which Combine joins.
    [Submittable]
    public static int Load(int i) => i;

    [Submittable]
    public static int Left(int x) => x * 2;

    [Submittable]
    public static int Right(int x) => x + 3;

    [Submittable]
    public static int Combine(int left, int right) => left ^ right;
}
