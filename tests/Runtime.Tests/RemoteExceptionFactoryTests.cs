using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Pipelines.Remoting;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// <see cref="RemoteExceptionFactory"/>: what a remote report can and cannot make this process build.
/// </summary>
public sealed class RemoteExceptionFactoryTests
{
    private static readonly RemoteExceptionFactory Factory = RemoteExceptionFactory.Default;

    [Fact]
    public void ALoadedExceptionTypeComesBackWithItsMessageRemoteStackAndInner()
    {
        var inner = new FormatException("inner");
        Exception rebuilt = Factory.Create(RemoteExceptionFactory.TypeNameOf(typeof(InvalidOperationException)), "boom", remoteStackTrace: "   at Remote.Place()", innerException: inner);
        var error = Assert.IsType<InvalidOperationException>(rebuilt);
        Assert.Equal("boom", error.Message);
        Assert.Same(inner, error.InnerException);
        Assert.StartsWith("   at Remote.Place()", error.StackTrace);
        Assert.Contains("End of remote stack trace", error.StackTrace);

        // A user type of a loaded assembly, named with or without its assembly.
        Assert.IsType<CustomFailure>(Factory.Create(RemoteExceptionFactory.TypeNameOf(typeof(CustomFailure)), "mine"));
        Assert.IsType<CustomFailure>(Factory.Create(typeof(CustomFailure).FullName!, "mine"));
        Assert.Equal("System.IO.IOException, System.Private.CoreLib", RemoteExceptionFactory.TypeNameOf(typeof(IOException)));
    }

    [Fact]
    public void TheArgumentFamilyKeepsMessageAndParameterName()
    {
        foreach (ArgumentException original in new ArgumentException[]
        {
            new ArgumentNullException("myParam", "custom message"),
            new ArgumentOutOfRangeException("count", 42, "too many"),
            new ArgumentOutOfRangeException("count", "too many"),
            new ArgumentException("bad value", "value"),
            new ArgumentException("no parameter"),
        })
        {
            Exception rebuilt = Factory.Create(RemoteExceptionFactory.TypeNameOf(original.GetType()), original.Message, original.ParamName);
            var argument = Assert.IsAssignableFrom<ArgumentException>(rebuilt);
            Assert.Equal(original.GetType(), argument.GetType());
            Assert.Equal(original.Message, argument.Message);
            Assert.Equal(original.ParamName, argument.ParamName);
        }

        // A single-string constructor whose string is not a message is never taken for one.
        var disposed = new ObjectDisposedException("the-store");
        Assert.Equal(disposed.Message, Assert.IsType<ObjectDisposedException>(Factory.Create(RemoteExceptionFactory.TypeNameOf(typeof(ObjectDisposedException)), disposed.Message)).Message);
    }

    [Theory]
    [InlineData("System.String, System.Private.CoreLib")]                                            // not an exception
    [InlineData("Pipelines.Tests.AbstractFailure, Pipelines.Runtime.Tests")]                          // abstract
    [InlineData("Pipelines.Tests.GenericFailure`1, Pipelines.Runtime.Tests")]                         // an open generic
    [InlineData("Pipelines.Tests.GenericFailure`1[[System.Int32, System.Private.CoreLib]], Pipelines.Runtime.Tests")]
    [InlineData("Pipelines.Tests.ThrowingFailure, Pipelines.Runtime.Tests")]                          // its constructor throws
    [InlineData("Pipelines.Tests.CustomFailure, Another.Assembly")]                                   // not that assembly's
    [InlineData("No.Such.Exception")]
    [InlineData("")]
    public void WhatIsRefusedComesBackAsARemoteException(string typeName)
    {
        var remote = Assert.IsType<RemoteException>(Factory.Create(typeName, "message", remoteStackTrace: "   at Remote.Place()"));
        Assert.Equal(typeName.Split(',')[0].Trim(), remote.RemoteTypeName);
        Assert.Equal("message", remote.Message);
        Assert.Equal("   at Remote.Place()", remote.RemoteStackTrace);
    }

    [Fact]
    public void ANameNeverLoadsAnAssemblyNotEvenThroughAFacadesForwarder()
    {
        Assembly.Load("System"); // a facade that forwards System.Net.Mail.SmtpException to System.Net.Mail
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "System.Net.Mail");
        Assert.IsType<RemoteException>(Factory.Create("System.Net.Mail.SmtpException, System", "forwarded"));
        Assert.IsType<RemoteException>(Factory.Create("System.Net.Mail.SmtpException, System.Net.Mail", "not loaded"));
        Assert.IsType<RemoteException>(Factory.Create("System.Net.Mail.SmtpException", "nowhere loaded"));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "System.Net.Mail");
    }

    [Fact]
    public void AnAllowListRebuildsOnlyItsTypes()
    {
        var strict = new RemoteExceptionFactory([typeof(IOException)]);
        Assert.Equal(new[] { typeof(IOException) }, strict.AllowedTypes!.ToArray());
        Assert.IsType<IOException>(strict.Create(RemoteExceptionFactory.TypeNameOf(typeof(IOException)), "allowed"));
        Assert.IsType<RemoteException>(strict.Create(RemoteExceptionFactory.TypeNameOf(typeof(FileNotFoundException)), "a subtype is not listed"));
        Assert.IsType<RemoteException>(strict.Create(RemoteExceptionFactory.TypeNameOf(typeof(InvalidOperationException)), "not listed"));
        Assert.Null(RemoteExceptionFactory.Default.AllowedTypes);

        Assert.Throws<ArgumentNullException>(() => new RemoteExceptionFactory(null!));
        Assert.Throws<ArgumentNullException>(() => new RemoteExceptionFactory([null!]));
        Assert.Throws<ArgumentException>(() => new RemoteExceptionFactory([typeof(string)]));
        Assert.Throws<ArgumentException>(() => new RemoteExceptionFactory([typeof(AbstractFailure)]));
        Assert.Throws<ArgumentException>(() => new RemoteExceptionFactory([typeof(GenericFailure<>)]));
        Assert.Throws<ArgumentNullException>(() => Factory.Create(null!, "m"));
    }
}

public sealed class CustomFailure(string message) : Exception(message);

public abstract class AbstractFailure(string message) : Exception(message);

public sealed class GenericFailure<T>(string message) : Exception(message);

public sealed class ThrowingFailure : Exception
{
    public ThrowingFailure(string message)
        : base(message) => throw new InvalidOperationException("a constructor that throws");
}
