using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.IntegrationTests.@event;
using Pipelines.IntegrationTests.Odd;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>The stubs of <c>OddJobs.cs</c> behave as their methods do (that they compile, warning-free, is the build's part).</summary>
public sealed class OddSourceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 2);

    public void Dispose() => _executor.Dispose();

    [Fact]
    public void CallerInformationIsThatOfTheStubsCaller()
    {
        (string submitted, int submitLine) = (_executor.SubmitWhere(1).GetResult(Timeout), Line());
        (string chained, int thenLine) = (Future.FromResult(2).ThenWhere().GetResult(Timeout), Line());
        (string withFuture, int futureLine) = (_executor.SubmitWhere(Future.FromResult(3)).GetResult(Timeout), Line());

        Assert.Equal($"1|{nameof(CallerInformationIsThatOfTheStubsCaller)}|{submitLine}|{File()}", submitted);
        Assert.Equal($"2|{nameof(CallerInformationIsThatOfTheStubsCaller)}|{thenLine}|{File()}", chained);
        Assert.Equal($"3|{nameof(CallerInformationIsThatOfTheStubsCaller)}|{futureLine}|{File()}", withFuture);
        Assert.Equal("5=2 + 3", _executor.SubmitExpression(2 + 3).GetResult(Timeout));
        Assert.Equal("4=Future.FromResult(4)", Future.FromResult(4).ThenExpression().GetResult(Timeout));
    }

    [Fact]
    public void ParamsArraysAndCollectionsTakeSeparateValues()
    {
        Assert.Equal(3, _executor.SubmitCountOf(1, 2, 3).GetResult(Timeout));
        Assert.Equal(2, _executor.SubmitCountOf("a", "b").GetResult(Timeout));
        Assert.Equal(0, _executor.SubmitCountOf<int>().GetResult(Timeout));
        Assert.Equal(6, _executor.SubmitSumOf(1, 2, 3).GetResult(Timeout));
        Assert.Equal(10, _executor.SubmitSumOf(new List<int> { 4, 6 }).GetResult(Timeout));
        Assert.Equal("a-b-c", _executor.SubmitJoinAll("-", "a", "b", "c").GetResult(Timeout));
    }

    [Fact]
    public void NullDefaultsOfTypesThatAreNotNullableAreThoseOfTheMethod()
    {
        Assert.Equal("x", _executor.SubmitOrFallback("x").GetResult(Timeout));
        string? nothing = null;
        Assert.Null(_executor.SubmitOrFallback(nothing).GetResult(Timeout));
        Assert.Equal("null", _executor.SubmitTextOr(null).GetResult(Timeout));
        Assert.Equal("null", _executor.SubmitAllowsNull(null).GetResult(Timeout));
        Assert.Equal("null", Future.FromResult<string?>(null).ThenAllowsNull().GetResult(Timeout));
    }

    [Fact]
    public void APartialMethodHasOneSetOfStubsWithItsDefaults()
    {
        Assert.Equal(7, _executor.SubmitImpl(1).GetResult(Timeout));
        Assert.Equal(9, Future.FromResult(3).ThenImpl(3).GetResult(Timeout));
    }

    [Fact]
    public void NamesThatClashIgnoringCaseOrOnceFlattenedAllGetStubs()
    {
        Assert.Equal(20, _executor.SubmitScale(2).GetResult(Timeout));
        Assert.Equal("abab", _executor.Submitscale("ab").GetResult(Timeout));
        Assert.Equal(300L, _executor.SubmitScale(3L).GetResult(Timeout));
        Assert.Equal("nested 1", _executor.SubmitRun(1).GetResult(Timeout));
        Assert.Equal("flat a", _executor.SubmitRun("a").GetResult(Timeout));
        Assert.Equal(2, _executor.SubmitSubmitX(1).GetResult(Timeout));
        Assert.Equal(3, _executor.SubmitXCall(1).GetResult(Timeout));
        Assert.Equal(5, _executor.Submitint(3, "ab").GetResult(Timeout));
    }

    [Fact]
    public void RecordStructInstancesAndExtensionMethods()
    {
        Assert.Equal(new Money(3.5m), _executor.SubmitPlus(new Money(1), 2.5m).GetResult(Timeout));
        Assert.Equal(42, _executor.SubmitTwiceOf(21).GetResult(Timeout));
        Assert.Equal(8, Future.FromResult(4).ThenTwiceOf().GetResult(Timeout));
    }

    [Fact]
    public void ObsoleteAndExperimentalStubsRunWhenCalledAnyway()
    {
#pragma warning disable CS0618, ODD001 // the stubs warn as their methods do; this test calls them on purpose
        Assert.Equal(1, _executor.SubmitStale(1).GetResult(Timeout));
        Assert.Equal(2, _executor.SubmitPreview(2).GetResult(Timeout));
#pragma warning restore CS0618, ODD001
    }

    [Fact]
    public async Task CancelAfterOnAKeptFutureNeitherWarnsNorIsAwaitedByAFix()
    {
        Future<int> slow = _executor.Submit(ct =>
        {
            ct.WaitHandle.WaitOne(Timeout);
            ct.ThrowIfCancellationRequested();
            return 1;
        });

        // PIPE0100 and CS4014 are both quiet here (the build has warnings as errors): CancelAfter returns 'slow' itself.
        slow.CancelAfter(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow);
        Assert.True(slow.IsCancelled);
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string File([CallerFilePath] string file = "") => file;
}
