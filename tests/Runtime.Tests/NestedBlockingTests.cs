using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// Blocking inside a pool does not deadlock, at any nesting depth: a tree of calls where every inner node submits
/// its children to the same pool and blocks on them, deeper than a worker may nest helped calls on its stack, on
/// pools of one and two workers, several roots at once, with every kind of blocking wait.
/// </summary>
public class NestedBlockingTests
{
    private const int Depth = 8;
    private const int FanOut = 3;
    private const int Roots = 3;

    public enum Blocking
    {
        GetResult,
        Wait,
        FuturesWait,
        AsCompleted,
        MapEnumeration,
    }

    public static TheoryData<Blocking, int> Cases()
    {
        var cases = new TheoryData<Blocking, int>();
        foreach (Blocking blocking in Enum.GetValues<Blocking>())
        {
            cases.Add(blocking, 1);
            cases.Add(blocking, 2);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ADeepTreeOfCallsBlockingOnTheirChildrenCompletes(Blocking blocking, int maxWorkers)
    {
        using var pool = new ThreadPoolExecutor(maxWorkers);

        int Node(int depth)
        {
            if (depth == 0)
            {
                return 1;
            }

            if (blocking == Blocking.MapEnumeration)
            {
                return pool.Map(_ => Node(depth - 1), Enumerable.Range(0, FanOut)).Sum();
            }

            List<Future<int>> children = Enumerable.Range(0, FanOut).Select(_ => pool.Submit(() => Node(depth - 1))).ToList();
            switch (blocking)
            {
                case Blocking.Wait:
                    children.ForEach(c => Assert.True(c.Wait()));
                    return children.Sum(c => c.GetResult());
                case Blocking.FuturesWait:
                    Assert.Empty(Futures.Wait(children).NotDone);
                    return children.Sum(c => c.GetResult());
                case Blocking.AsCompleted:
                    return Futures.AsCompleted(children).Sum(c => c.GetResult());
                default:
                    return children.Sum(c => c.GetResult());
            }
        }

        List<Future<int>> roots = Enumerable.Range(0, Roots).Select(_ => pool.Submit(() => Node(Depth))).ToList();
        int expected = (int)Math.Pow(FanOut, Depth);
        Assert.All(roots, root => Assert.Equal(expected, root.GetResult(TimeSpan.FromMinutes(2))));
    }

    [Fact]
    public void HelpingStopsAtItsDepthLimitAndTheBlockedWorkerIsReplacedMeanwhile()
    {
        // A chain deeper than a worker nests: each call submits the next and blocks on it. Past the limit the worker
        // blocks plainly, and the pool starts a thread in its place, which exits again once it is not needed.
        using var pool = new ThreadPoolExecutor(1);
        int Chain(int remaining) => remaining == 0 ? 0 : pool.Submit(() => Chain(remaining - 1)).GetResult() + 1;

        const int Links = 100;
        Assert.Equal(Links, pool.Submit(() => Chain(Links)).GetResult(TimeSpan.FromMinutes(2)));
        Wait.Until(() => pool.WorkerCount == 1, "the extra threads to leave");
    }
}
