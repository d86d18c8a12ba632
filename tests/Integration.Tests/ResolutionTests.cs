using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>
/// Compiled with nullable warnings as errors: every call below compiles warning-free, and runs as the method would.
/// </summary>
public sealed class ResolutionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 2);

    public void Dispose() => _executor.Dispose();

    [Fact]
    public void AFutureOfTOrOfNullableTPassesToANullableParameterAndNullStillWorks()
    {
        Future<Artifact> artifact = _executor.Submit(() => new Artifact("lib"));
        Future<Artifact?> maybe = _executor.Submit(new Func<Artifact?>(() => null));
        Future<string> note = Future.FromResult("n");
        Assert.Equal("lib:n", _executor.SubmitLink(artifact, note).GetResult(Timeout));
        Assert.Equal("none", _executor.SubmitLink(maybe, null).GetResult(Timeout));
        Assert.Equal("none", _executor.SubmitLink(null, null).GetResult(Timeout));
        Assert.Equal("x", _executor.SubmitLink(new Artifact("x"), (string?)null).GetResult(Timeout));
        Assert.Equal("lib", artifact.ThenLink(null).GetResult(Timeout));
        Assert.Equal("none:n", maybe.ThenLink(note).GetResult(Timeout));

        Future<string> text = Future.FromResult("four");
        Assert.Equal(4, text.ThenLengthOf().GetResult(Timeout));
        Assert.Equal(-1, Future.FromResult<string?>(null).ThenLengthOf().GetResult(Timeout));
        Assert.Equal(-1, _executor.SubmitLengthOf(null).GetResult(Timeout));
    }

    [Fact]
    public void OverloadedMethodsResolveAsCSharpResolvesTheMethods()
    {
        Assert.Equal(Jobs.Mix(1, 2), _executor.SubmitMix(1, 2).GetResult(Timeout));
        Assert.Equal(Jobs.Mix(1, 2.5), _executor.SubmitMix(1, 2.5).GetResult(Timeout));
        Assert.Equal(Jobs.Mix(1.5, 2), _executor.SubmitMix(1.5, 2).GetResult(Timeout));
        Assert.Equal("int 3", _executor.SubmitMix(Future.FromResult(1), 2).GetResult(Timeout));
        Assert.Equal("double 3.5", _executor.SubmitMix(Future.FromResult(1.5), 2).GetResult(Timeout));
        Assert.Equal("int 5", Future.FromResult(2).ThenMix(3).GetResult(Timeout));
    }

    [Fact]
    public void ParamsArraysTakeSeparateValuesAnArrayOrAFutureOfOne()
    {
        Assert.Equal(6, _executor.SubmitSumAll(1, 2, 3).GetResult(Timeout));
        Assert.Equal(0, _executor.SubmitSumAll().GetResult(Timeout));
        Assert.Equal(9, _executor.SubmitSumAll(new[] { 4, 5 }).GetResult(Timeout));
        Assert.Equal(7, _executor.SubmitSumAll(_executor.Submit(() => new[] { 3, 4 })).GetResult(Timeout));
        Assert.Equal("p:a+b", _executor.SubmitLabel("p:", "a", "b").GetResult(Timeout));
        Assert.Equal("q:", Future.FromResult("q:").ThenLabel().GetResult(Timeout));
        Assert.Equal("f:c", _executor.SubmitLabel(Future.FromResult("f:"), new[] { "c" }).GetResult(Timeout));
    }

    [Fact]
    public void OptionalParametersLeftOutUseTheMethodsDefaultsInBothForms()
    {
        Assert.Equal(11, _executor.SubmitOffset(1).GetResult(Timeout));
        Assert.Equal(3, _executor.SubmitOffset(1, 2).GetResult(Timeout));
        Assert.Equal(100, _executor.SubmitOffset(95).GetResult(Timeout));
        Assert.Equal(50, _executor.SubmitOffset(45, cap: 50).GetResult(Timeout));
        Assert.Equal(12, _executor.SubmitOffset(Future.FromResult(2)).GetResult(Timeout));
        Assert.Equal(7, _executor.SubmitOffset(Future.FromResult(2), by: Future.FromResult(5)).GetResult(Timeout));
        Assert.Equal(210, _executor.SubmitOffset(Future.FromResult(150), 60, Future.FromResult<long?>(null)).GetResult(Timeout));
    }

    [Fact]
    public void AStubArgumentTakesSixteenBytesForLongAndInt()
    {
        Assert.Equal(16, Unsafe.SizeOf<FutureOr<long>>());
        Assert.Equal(16, Unsafe.SizeOf<FutureOr<int>>());
        Assert.Equal(16, Unsafe.SizeOf<FutureOr<string>>());
    }

    [Fact]
    public void MethodsWithRetriesAndATimeoutCompileAndRunAsAnyOther()
    {
        Assert.Equal(2, _executor.SubmitSteady(1).GetResult(Timeout));
        Assert.Equal(3, _executor.SubmitSteady(_executor.SubmitSteady(1)).GetResult(Timeout));
    }
}
