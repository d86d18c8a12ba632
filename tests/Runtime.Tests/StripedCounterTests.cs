using System.Linq;
using System.Threading;
using Pipelines.Scheduling;
using Xunit;

namespace Pipelines.Tests;

/// <summary>The executor's count of unfinished calls: added to on the submitting thread, subtracted on the workers.</summary>
public class StripedCounterTests
{
    [Theory]
    [InlineData(1)]  // a bounded executor's exact count
    [InlineData(2)]  // fewer stripes than threads: threads share stripes
    [InlineData(64)]
    public void AddsOnSomeThreadsAndSubtractsOnOthersSumExactlyOnceTheyStop(int stripes)
    {
        const int perThread = 20_000;
        var counter = new StripedCounter(stripes);
        using var start = new Barrier(8);
        Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait(Wait.Long);
            for (int i = 0; i < perThread; i++)
            {
                // Five threads submit, three finish calls (fewer than they submit), as a pool's workers do.
                if (t < 5)
                {
                    counter.Increment();
                }
                else
                {
                    counter.Decrement();
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(Wait.Long), "a thread hung");
        }

        Assert.Equal((5 - 3) * perThread, counter.Sum());
    }

    [Fact]
    public void AStripeCountOfZeroIsRefusedNamingTheArgument()
    {
        var ex = Assert.Throws<System.ArgumentOutOfRangeException>(() => new StripedCounter(0));
        Assert.Equal("stripes", ex.ParamName);
    }
}
