using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.IntegrationTests;

public sealed class StubTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 4);

    public void Dispose() => _executor.Dispose();

    [Fact]
    public void PlainValuesFuturesAndAnyMix()
    {
        Future<int> a = _executor.SubmitAdd(2, 3);
        Future<int> b = _executor.SubmitAdd(a, 10);
        Future<int> c = _executor.SubmitAdd(a, b);
        Future<int> d = c.ThenAdd(100);
        Assert.Equal(120, d.GetResult(Timeout));
    }

    [Fact]
    public async Task StubsAreAwaitable()
    {
        Assert.Equal(5, await _executor.SubmitAdd(_executor.SubmitAdd(1, 1), 3));
    }

    [Fact]
    public void InterfaceParametersTakeValuesFuturesAndNull()
    {
        IShape square = new Square(2);
        Future<IShape> futureShape = _executor.Submit<IShape>(() => new Square(3));
        Assert.Equal(4, _executor.SubmitTotalArea(square, null).GetResult(Timeout));
        Assert.Equal(8, _executor.SubmitTotalArea(new Square(2), square).GetResult(Timeout));
        Assert.Equal(13, _executor.SubmitTotalArea(futureShape, square).GetResult(Timeout));
        Future<IShape?> maybeShape = _executor.Submit<IShape?>(() => new Square(1));
        Assert.Equal(10, _executor.SubmitTotalArea(futureShape, maybeShape).GetResult(Timeout));
        Assert.Equal(9, futureShape.ThenTotalArea(null).GetResult(Timeout));
    }

    [Fact]
    public void ObjectParametersTakeAnythingAndUnwrapFutures()
    {
        object boxed = 42;
        Assert.Equal("42", _executor.SubmitDescribe(boxed).GetResult(Timeout));
        Assert.Equal("text", _executor.SubmitDescribe("text").GetResult(Timeout));
        Assert.Equal("null", _executor.SubmitDescribe(null).GetResult(Timeout));
        Future<object?> future = Future.FromResult<object?>("from a future");
        Assert.Equal("from a future", _executor.SubmitDescribe(future).GetResult(Timeout));
    }

    [Fact]
    public void NullableParameters()
    {
        Assert.Equal("hello, nobody", _executor.SubmitGreet(null).GetResult(Timeout));
        Assert.Equal("hello, ada", _executor.SubmitGreet("ada").GetResult(Timeout));
        Assert.Equal(0, _executor.SubmitOrZero(null).GetResult(Timeout));
        Assert.Equal(5, _executor.SubmitOrZero(5).GetResult(Timeout));
        Assert.Equal(6, _executor.SubmitOrZero(Future.FromResult<int?>(6)).GetResult(Timeout));
    }

    [Fact]
    public void ArraysAndTuples()
    {
        Assert.Equal(6, _executor.SubmitSum(new[] { 1, 2, 3 }).GetResult(Timeout));
        Future<int[]> values = _executor.Submit(() => new[] { 4, 5 });
        Assert.Equal(9, values.ThenSum().GetResult(Timeout));
        Assert.Equal((1, 9), _executor.SubmitRange((9, 1)).GetResult(Timeout));
        Assert.Equal(3, _executor.SubmitParamsArePlainArrays(new[] { 1, 2, 3 }).GetResult(Timeout));
    }

    [Fact]
    public void OptionalParametersUseTheMethodsDefaults()
    {
        Assert.Equal("n1:Blue:1.5:-", _executor.SubmitOptions(1).GetResult(Timeout));
        Assert.Equal("x2:Red:1.5:-", _executor.SubmitOptions(2, "x", Color.Red).GetResult(Timeout));
        Assert.Equal("n3:Blue:2:note", _executor.SubmitOptions(3, scale: 2.0, note: "note").GetResult(Timeout));
        Assert.Equal("y4:Green:1.5:-", _executor.SubmitOptions(_executor.SubmitAdd(2, 2), Future.FromResult("y"), Color.Green).GetResult(Timeout));
    }

    [Fact]
    public void GenericMethodsInferFromValuesAndFutures()
    {
        Assert.Equal(7, _executor.SubmitIdentity(7).GetResult(Timeout));
        Future<int> seven = _executor.SubmitAdd(3, 4);
        Future<int> fromFuture = _executor.SubmitIdentity(seven);
        Assert.Equal(7, fromFuture.GetResult(Timeout));
        Assert.Equal("s", _executor.SubmitIdentity<string>("s").GetResult(Timeout));
        Assert.Equal(new List<string> { "a", "a" }, _executor.SubmitRepeat("a", 2).GetResult(Timeout));
        Assert.Equal(new List<int> { 7, 7, 7 }, _executor.SubmitRepeat(seven, _executor.SubmitAdd(1, 2)).GetResult(Timeout));
        Assert.Equal(3, _executor.SubmitCount(new List<int> { 1, 2, 3 }).GetResult(Timeout));
        Assert.Equal(7, seven.ThenIdentity().GetResult(Timeout));
    }

    [Fact]
    public async Task AsyncMethods()
    {
        Assert.Equal(42, await _executor.SubmitDoubleAsync(_executor.SubmitAdd(20, 1)));
        Assert.Equal("echo", await _executor.SubmitEchoAsync("echo"));
        await _executor.SubmitDelayAsync(1).AsTask().WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void VoidMethodsReturnTheNonGenericFuture()
    {
        int before = Volatile.Read(ref Jobs.Counter);
        Future done = _executor.SubmitIncrement(_executor.SubmitAdd(1, 1));
        Assert.True(done.Wait(Timeout));
        Assert.Equal(FutureState.Succeeded, done.State);
        Assert.True(Volatile.Read(ref Jobs.Counter) >= before + 2);
    }

    [Fact]
    public void CustomStubNameNestedTypesInternalAndKeywords()
    {
        Assert.Equal(12, _executor.SubmitMultiply(3, 4).GetResult(Timeout));
        Assert.Equal("HI", _executor.SubmitShout("hi").GetResult(Timeout));
        Assert.Equal(2, _executor.SubmitInternal(1).GetResult(Timeout));
        Assert.Equal(4, _executor.SubmitKeywords(1, "abc").GetResult(Timeout));
    }

    [Fact]
    public void InstanceMethodsTakeTheTargetFirst()
    {
        var scaler = new Scaler(3);
        Assert.Equal(6, _executor.SubmitScale(scaler, 2).GetResult(Timeout));
        Future<Scaler> futureScaler = _executor.Submit(() => new Scaler(10));
        Assert.Equal(50, _executor.SubmitScale(futureScaler, _executor.SubmitAdd(2, 3)).GetResult(Timeout));
        Assert.Equal(30, _executor.SubmitAdd(1, 2).ThenScale(futureScaler).GetResult(Timeout));
        Assert.Equal(6, _executor.SubmitNext(new Counter { Start = 5 }).GetResult(Timeout));
    }

    [Fact]
    public void AFaultedArgumentFaultsTheDependentWithTheSameException()
    {
        Future<int> failed = _executor.SubmitFail("boom");
        Future<int> dependent = _executor.SubmitAdd(failed, 1);
        var original = Assert.Throws<InvalidOperationException>(() => failed.GetResult(Timeout));
        var propagated = Assert.Throws<InvalidOperationException>(() => dependent.GetResult(Timeout));
        Assert.Same(original, propagated);
    }

    [Fact]
    public void CancellationTokenParametersAreInjected()
    {
        using var started = new ManualResetEventSlim();
        Future<int> running = _executor.SubmitWaitForCancel(started);
        Assert.True(started.Wait(Timeout, TestContext.Current.CancellationToken));
        Assert.False(running.Cancel()); // running: the token is signalled instead
        Assert.True(running.Wait(Timeout));
        Assert.Equal(FutureState.Cancelled, running.State);
    }

    [Fact]
    public void DelegateParametersTakeLambdasMethodGroupsAndFutures()
    {
        Assert.Equal(6, _executor.SubmitApply(x => x * 2, 3).GetResult(Timeout));
        Assert.Equal(-4, _executor.SubmitApply(Math.Abs, -4).GetResult(Timeout) * -1);
        Future<Func<int, int>> function = _executor.Submit<Func<int, int>>(() => x => x + 1);
        Assert.Equal(8, _executor.SubmitApply(function, _executor.SubmitAdd(3, 4)).GetResult(Timeout));
    }

    [Fact]
    public void ThenOnACompletedFutureWithoutExecutorRunsInline()
    {
        Assert.Equal(3, Future.FromResult(1).ThenAdd(2).GetResult(Timeout));
    }
}
