using System;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

public class SmokeTests
{
    [Fact]
    public void SubmitReturnsTheResult()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 2);
        Future<int> future = executor.Submit(() => 21 * 2);
        Assert.Equal(42, future.GetResult(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void SingleWorkerPoolThatBlocksOnItselfCompletes()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);
        Future<int> outer = executor.Submit(() => executor.Submit(() => 7).GetResult() + 1);
        Assert.Equal(8, outer.GetResult(TimeSpan.FromSeconds(30)));
    }
}
