using System;
using System.IO;
using System.Linq;
using Pipelines.Remoting;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// Exceptions thrown in workers come back with their type, message, parameter name, remote stack and inner chain;
/// what a worker names decides no type beyond that: no assembly is loaded for a name, generic and non-exception types
/// are refused, and an allow-list narrows it further.
/// </summary>
public sealed class RemoteExceptionTests
{
    [Fact]
    public void TheArgumentFamilyKeepsItsMessageAndParameterName()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var expected = new ArgumentNullException("myParam", "custom message");
        var nullError = Assert.IsType<ArgumentNullException>(pool.SubmitThrowArgumentNull("myParam", "custom message").GetException(Wait.Long));
        Assert.Equal(expected.Message, nullError.Message);
        Assert.Equal("myParam", nullError.ParamName);

        var expectedRange = new ArgumentOutOfRangeException("count", 42, "too many");
        var rangeError = Assert.IsType<ArgumentOutOfRangeException>(pool.SubmitThrowOutOfRange("count", 42, "too many").GetException(Wait.Long));
        Assert.Equal(expectedRange.Message, rangeError.Message);
        Assert.Equal("count", rangeError.ParamName);
        Assert.Equal("42", rangeError.ActualValue?.ToString());

        // A single-string constructor that is not a message (ObjectDisposedException(string objectName)) is never taken for one.
        var disposed = Assert.IsType<ObjectDisposedException>(pool.SubmitThrowDisposed("the-store").GetException(Wait.Long));
        Assert.Equal(new ObjectDisposedException("the-store").Message, disposed.Message);
    }

    [Fact]
    public void InnerExceptionsComeBackAsAChain()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var outer = Assert.IsType<InvalidOperationException>(pool.SubmitThrowWithInner("outer", "inner").GetException(Wait.Long));
        Assert.Equal("outer", outer.Message);
        var inner = Assert.IsType<FormatException>(outer.InnerException);
        Assert.Equal("inner", inner.Message);
        Assert.Equal("innermost", Assert.IsType<IOException>(inner.InnerException).Message);
        Assert.Contains("Jobs.ThrowWithInner", outer.StackTrace);
    }

    [Fact]
    public void AnAllowListRebuildsOnlyTheTypesItNames()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions
        {
            MaxWorkers = 1,
            RemoteExceptions = new RemoteExceptionFactory(new[] { typeof(ArgumentNullException) }),
        });
        Assert.IsType<ArgumentNullException>(pool.SubmitThrowArgumentNull("p", "m").GetException(Wait.Long));

        var refused = Assert.IsType<RemoteException>(pool.SubmitFail("boom").GetException(Wait.Long));
        Assert.Equal("System.InvalidOperationException", refused.RemoteTypeName);
        Assert.Equal("boom", refused.Message);
        Assert.Contains("Jobs.Fail", refused.RemoteStackTrace);
    }

    [Theory]
    [InlineData("System.Net.Mail.SmtpException, System.Net.Mail")]                               // would load an assembly
    [InlineData("Pipelines.ProcessPoolTests.GenericFailure`1, Pipelines.ProcessPool.Tests")]      // an open generic
    [InlineData("System.Collections.Generic.List`1[[System.Exception, System.Private.CoreLib]], System.Private.CoreLib")]
    [InlineData("System.String, System.Private.CoreLib")]                                         // not an exception
    [InlineData("Pipelines.ProcessPoolTests.ConstructorWitness, Pipelines.ProcessPool.Tests")]   // not an exception either
    public void ANameFromTheWireLoadsNothingAndBuildsOnlyExceptions(string typeName)
    {
        string assembly = typeName.Split(',').Last().Trim();
        bool loadedBefore = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == assembly);
        Assert.False(loadedBefore && assembly == "System.Net.Mail", "pick a type of an assembly this test process has not loaded");
        using var pool = FakeWorkers.Pool("error:" + typeName);
        var error = Assert.IsType<RemoteException>(pool.SubmitAdd(1, 2).GetException(Wait.Long));
        Assert.Equal(typeName.Split(',')[0], error.RemoteTypeName);
        Assert.Equal("forged by the fake worker", error.Message);
        Assert.Equal("   at Somewhere.Else()", error.RemoteStackTrace);
        Assert.Equal(loadedBefore, AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == assembly));
        Assert.Equal(0, ConstructorWitness.Constructed);
    }
}

/// <summary>An open generic exception type: a worker naming it gets a RemoteException, not a MemberAccessException.</summary>
public sealed class GenericFailure<T>(string message) : Exception(message);

/// <summary>Counts its constructions: a worker naming a non-exception type must not make the parent run its constructor.</summary>
public sealed class ConstructorWitness
{
    public ConstructorWitness(string message) => Constructed++;

    public static int Constructed { get; private set; }
}
