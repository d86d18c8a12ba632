using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using Pipelines.Remoting;
using Xunit;

namespace Pipelines.IntegrationTests;

/// <summary>
/// Generated calls of static methods implement <see cref="IRemoteCall"/> argument by argument, so a remote executor
/// can resolve future arguments where the call runs and ship only plain values.
/// </summary>
public sealed class RemoteCallTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 1);
    private readonly ManualResetEventSlim _gate = new();

    public void Dispose()
    {
        _gate.Set();
        _executor.Dispose();
        _gate.Dispose();
    }

    [Fact]
    public void EachArgumentGivesItsFutureOrNullAndItsValueAsJson()
    {
        Future<int> pending = BlockTheOnlyWorker();
        Future<int> three = Future.FromResult(3);
        var call = (IRemoteCall)_executor.SubmitAdd(three, 4); // queued behind the blocked worker: its arguments are still held

        Assert.Equal("M:Pipelines.IntegrationTests.Jobs.Add(System.Int32,System.Int32)", call.MethodId);
        Assert.Equal(2, call.ArgumentCount);
        Assert.Same(three, call.GetArgumentFuture(0));
        Assert.Null(call.GetArgumentFuture(1));
        Assert.Equal("3", Json(writer => call.WriteArgument(0, writer, JsonSerializerOptions.Default)));
        Assert.Equal("4", Json(writer => call.WriteArgument(1, writer, JsonSerializerOptions.Default)));
        Assert.Equal("[3,4]", Json(writer => call.WriteArguments(writer, JsonSerializerOptions.Default)));

        var waiting = (IRemoteCall)_executor.SubmitAdd(pending, 1);
        Assert.Same(pending, waiting.GetArgumentFuture(0));
        Assert.Throws<InvalidOperationException>(() => Json(writer => waiting.WriteArgument(0, writer, JsonSerializerOptions.Default)));

        _gate.Set();
        Assert.Equal(7, ((Future<int>)call).GetResult(Timeout));
    }

    [Fact]
    public void OptionalArgumentsLeftOutAreWrittenAsTheMethodsDefaultsAndTokensAreNotArguments()
    {
        _ = BlockTheOnlyWorker();
        var options = (IRemoteCall)_executor.SubmitOptions(1, scale: 2.5);
        Assert.Equal(5, options.ArgumentCount);
        Assert.Equal("[1,\"n\",7,2.5,null]", Json(writer => options.WriteArguments(writer, JsonSerializerOptions.Default)));

        var doubled = (IRemoteCall)_executor.SubmitDoubleAsync(21);
        Assert.Equal(1, doubled.ArgumentCount);
        Assert.Equal("[21]", Json(writer => doubled.WriteArguments(writer, JsonSerializerOptions.Default)));
    }

    [Fact]
    public void AnIndexOutsideTheArgumentsIsRejectedByName()
    {
        _ = BlockTheOnlyWorker();
        var call = (IRemoteCall)_executor.SubmitAdd(1, 2);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => call.GetArgumentFuture(2)).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => Json(writer => call.WriteArgument(-1, writer, JsonSerializerOptions.Default))).ParamName);
    }

    /// <summary>Occupies the pool's one worker until the test ends, so calls submitted after it stay queued.</summary>
    private Future<int> BlockTheOnlyWorker()
    {
        using var started = new ManualResetEventSlim();
        Future<int> blocker = _executor.Submit(() =>
        {
            started.Set();
            _gate.Wait();
            return 5;
        });
        Assert.True(started.Wait(Timeout, TestContext.Current.CancellationToken));
        return blocker;
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
