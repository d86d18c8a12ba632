using System;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>The message size limit (<see cref="ProcessPoolOptions.MaxMessageBytes"/>) both ways, and memory after large messages.</summary>
public sealed class MessageSizeTests
{
    [Fact]
    public void MessagesOverTheLimitFailTheirCallAndThePoolGoesOn()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, MaxMessageBytes = 1 << 20 });
        Assert.Equal(1 << 20, pool.MaxMessageBytes);

        var tooLargeResult = Assert.IsType<InvalidOperationException>(pool.SubmitBig(2_000_000).GetException(Wait.Long));
        Assert.Contains("larger than the limit of 1,048,576 bytes", tooLargeResult.Message);

        var tooLargeArgument = Assert.IsType<InvalidOperationException>(pool.SubmitEcho(new string('y', 2_000_000)).GetException(Wait.Long));
        Assert.Contains("MaxMessageBytes", tooLargeArgument.Message);

        Assert.Equal(500_000, pool.SubmitBig(500_000).GetResult(Wait.Long).Length);
        Assert.False(pool.IsBroken);
    }

    [Fact]
    public void ALargeResultLeavesNoLargeBufferBehind()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Assert.Equal(3, pool.SubmitAdd(1, 2).GetResult(Wait.Long)); // the worker is up
        long before = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(40_000_000, LengthOfBig(pool, 40_000_000));
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.InRange(after - before, long.MinValue, 16 << 20); // the 40 MB frame's buffer did not stay with the worker's handle
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int LengthOfBig(ProcessPoolExecutor pool, int characters) => pool.SubmitBig(characters).GetResult(Wait.Long).Length;
}
