using System;
using Pipelines.Diagnostics;
using Xunit;
using static Pipelines.Tests.Observability.DemoStubs;

namespace Pipelines.Tests.Observability;

/// <summary>ToString of a call names its method and state, read from what generated calls already are.</summary>
public class CallNameTests
{
    private static readonly InlineExecutor s_inline = new("names");

    [Fact]
    public void AGeneratedCallIsNamedByItsMethod()
    {
        Future<int> load = new LoadCall(s_inline, _ => 1);
        Assert.Equal("Load(Succeeded)", load.ToString());
        Assert.Equal(new CallName("Load", "Demo.Load"), CallNames.Of(load));
    }

    [Fact]
    public void AnOverloadsHashSuffixIsDropped()
    {
        Future<int> twice = new TwiceCall_4fc759c5(s_inline, _ => 2);
        Assert.Equal("Twice(Succeeded)", twice.ToString());
    }

    [Fact]
    public void ARemotableCallIsNamedByItsDocumentationId()
    {
        var promise = new Promise<int>();
        Future<int> sum = new RemotableCall(s_inline, promise.Future, 2);
        Assert.Equal("Sum(Pending)", sum.ToString());
        Assert.Equal(new CallName("Sum", "Numbers.Sum"), CallNames.Of(sum));
        promise.SetResult(1);
        Assert.Equal("Sum(Succeeded)", sum.ToString());
    }

    [Theory]
    [InlineData("M:Demo.Jobs.Add(System.Int32,System.Int32)", "Add", "Jobs.Add")]
    [InlineData("M:Demo.Outer.Inner.Scale(System.Double)", "Scale", "Inner.Scale")]
    [InlineData("M:Jobs.Pair``1(``0)", "Pair", "Jobs.Pair")]
    [InlineData("M:Flush", "Flush", "Flush")]
    public void DocumentationIdsGiveTheMethodAndItsType(string id, string shortName, string qualified)
    {
        Assert.Equal(new CallName(shortName, qualified), CallNames.FromDocumentationId(id));
    }

    [Theory]
    [InlineData("T:Demo.Jobs")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherIdsAreNotMethods(string? id)
    {
        Assert.Null(CallNames.FromDocumentationId(id));
    }

    [Fact]
    public void ASubmittedMethodGroupIsNamedByTheMethod()
    {
        Future<int> future = s_inline.Submit(FortyTwo);
        Assert.Equal(new CallName("FortyTwo", "CallNameTests.FortyTwo"), CallNames.OfDelegate(new Func<int>(FortyTwo)));
        Assert.Equal("Submit(Succeeded)", future.ToString()); // the call has dropped its delegate once done
    }

    [Fact]
    public void APendingDelegateCallIsNamedByItsDelegate()
    {
        var promise = new Promise<int>();
        Future<int> future = new ThreadPoolExecutor(1).Submit(() => promise.Future.GetResult(Wait.Long));
        try
        {
            Assert.StartsWith("lambda in APendingDelegateCallIsNamedByItsDelegate(", future.ToString());
        }
        finally
        {
            promise.SetResult(1);
            Wait.Done(future);
            future.Executor!.Shutdown();
        }
    }

    [Fact]
    public void LocalFunctionsAreNamedByTheirOwnName()
    {
        Assert.Equal("Seven", CallNames.OfDelegate(new Func<int>(Seven)).Short);

        static int Seven() => 7;
    }

    [Fact]
    public void FuturesThatAreNotCallsAreFutures()
    {
        Assert.Equal("Future(Succeeded)", Future.FromResult(1).ToString());
        Assert.Equal("Future(Cancelled)", Future.FromCancelled<int>().ToString());
        Assert.Equal("All(Succeeded)", Futures.All(new[] { Future.FromResult(1) }).ToString());
    }

    private static int FortyTwo() => 42;
}
