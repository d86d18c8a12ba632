using System;
using System.IO;
using Pipelines.Remoting;
using Xunit;

namespace Pipelines.Tests;

/// <summary><see cref="RemoteExceptionRecord"/>: what of an exception travels, how deep, and how it comes back.</summary>
public sealed class RemoteExceptionRecordTests
{
    [Fact]
    public void AnExceptionTravelsAsItsTypeMessageParameterNameStackAndInnerAndComesBackWithThem()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("outer", new ArgumentNullException("path", "inner"));
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        RemoteExceptionRecord record = RemoteExceptionRecord.From(thrown);
        Assert.Equal(RemoteExceptionFactory.TypeNameOf(typeof(InvalidOperationException)), record.TypeName);
        Assert.Equal("outer", record.Message);
        Assert.Null(record.ParamName);
        Assert.Contains(nameof(AnExceptionTravelsAsItsTypeMessageParameterNameStackAndInnerAndComesBackWithThem), record.StackTrace, StringComparison.Ordinal);
        Assert.Equal("path", record.Inner!.ParamName);
        Assert.Null(record.Inner.Inner);

        var rebuilt = Assert.IsType<InvalidOperationException>(RemoteExceptionFactory.Default.Create(record));
        Assert.Equal("outer", rebuilt.Message);
        Assert.Contains(nameof(AnExceptionTravelsAsItsTypeMessageParameterNameStackAndInnerAndComesBackWithThem), rebuilt.StackTrace, StringComparison.Ordinal);
        var inner = Assert.IsType<ArgumentNullException>(rebuilt.InnerException);
        Assert.Equal("path", inner.ParamName);
        Assert.Equal(new ArgumentNullException("path", "inner").Message, inner.Message);
    }

    [Fact]
    public void AChainLongerThanMaxDepthIsCutThere()
    {
        Exception chain = new IOException("innermost");
        for (int i = 0; i < 2 * RemoteExceptionRecord.MaxDepth; i++)
        {
            chain = new InvalidOperationException($"level {i}", chain);
        }

        int depth = 0;
        for (RemoteExceptionRecord? record = RemoteExceptionRecord.From(chain); record is not null; record = record.Inner)
        {
            depth++;
        }

        Assert.Equal(RemoteExceptionRecord.MaxDepth, depth);
    }

    [Fact]
    public void AMissingTypeNameMessageOrExceptionIsRefusedNamingTheArgument()
    {
        Assert.Throws<ArgumentNullException>("typeName", () => new RemoteExceptionRecord(null!, "m"));
        Assert.Throws<ArgumentNullException>("message", () => new RemoteExceptionRecord("T", null!));
        Assert.Throws<ArgumentNullException>("exception", () => RemoteExceptionRecord.From(null!));
        Assert.Throws<ArgumentNullException>("record", () => RemoteExceptionFactory.Default.Create((RemoteExceptionRecord)null!));
    }
}
