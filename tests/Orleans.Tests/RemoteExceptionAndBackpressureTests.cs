using System;
using System.IO;
using System.Threading.Tasks;
using Pipelines.Remoting;
using Pipelines.Orleans;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>
/// The one rebuild of remote exceptions (<see cref="RemoteExceptionFactory"/>) on the cluster, and
/// <see cref="OrleansExecutorOptions.MaxQueued"/>: the thread pool's backpressure on a remote executor.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class RemoteExceptionAndBackpressureTests(SharedCluster shared)
{
    [Fact]
    public async Task TheArgumentFamilyKeepsMessageAndParameterNameAndInnerExceptionsComeBack()
    {
        await using OrleansExecutor executor = TestClusters.Executor(shared.Cluster);
        var error = Assert.IsType<ArgumentNullException>(executor.SubmitThrowArgumentNull("myParam", "custom message").GetException(Wait.Long));
        Assert.Equal(new ArgumentNullException("myParam", "custom message").Message, error.Message);
        Assert.Equal("myParam", error.ParamName);

        var outer = Assert.IsType<InvalidOperationException>(executor.SubmitThrowWithInner("outer", "inner").GetException(Wait.Long));
        Assert.Equal("inner", Assert.IsType<FormatException>(outer.InnerException).Message);
        Assert.IsType<IOException>(outer.InnerException!.InnerException);
        Assert.Contains("MapJobs.ThrowWithInner", outer.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAllowListRebuildsOnlyTheTypesItNames()
    {
        await using var executor = new OrleansExecutor(shared.Cluster.Client, new OrleansExecutorOptions
        {
            ShardCount = 16,
            PollInterval = TimeSpan.FromSeconds(2),
            RemoteExceptions = new RemoteExceptionFactory([typeof(ArgumentNullException)]),
        });
        Assert.IsType<ArgumentNullException>(executor.SubmitThrowArgumentNull("p", "m").GetException(Wait.Long));
        var refused = Assert.IsType<RemoteException>(executor.SubmitFail("boom").GetException(Wait.Long));
        Assert.Equal(typeof(InvalidOperationException).FullName, refused.RemoteTypeName);
        Assert.Equal("boom", refused.Message);
        Assert.Contains("Jobs.Fail", refused.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxQueuedMakesSubmitsWaitForRoomUntilACallFinishes()
    {
        await using var executor = new OrleansExecutor(shared.Cluster.Client, new OrleansExecutorOptions { ShardCount = 16, PollInterval = TimeSpan.FromSeconds(2), MaxQueued = 2 });
        Assert.Equal(2, executor.MaxQueued);
        string first = Guid.NewGuid().ToString("N");
        string second = Guid.NewGuid().ToString("N");
        Future<int> a = executor.SubmitGated(first, 1);
        Future<int> b = executor.SubmitGated(second, 2);
        ValueTask room = executor.WaitForRoomAsync(TestContext.Current.CancellationToken);
        Assert.False(room.IsCompleted); // two unfinished calls: full

        Hooks.Gate(first).TrySetResult();
        await Wait.Bounded(room.AsTask(), "room after a call finished");
        Assert.Equal(1, await Wait.Bounded(a.AsTask(), "first"));
        Future<int> c = executor.SubmitAdd(3, 4); // admitted at once: there is room
        Hooks.Gate(second).TrySetResult();
        Assert.Equal(2, await Wait.Bounded(b.AsTask(), "second"));
        Assert.Equal(7, await Wait.Bounded(c.AsTask(), "third"));
    }

    [Fact]
    public void MaxQueuedIsValidated()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansExecutor(shared.Cluster.Client, new OrleansExecutorOptions { MaxQueued = 0 }));
        Assert.Contains("MaxQueued", error.Message, StringComparison.Ordinal);
    }
}
