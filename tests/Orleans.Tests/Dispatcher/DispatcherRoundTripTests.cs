using System;
using System.Threading.Tasks;
using Pipelines.Remoting;
using Pipelines.Orleans;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests.Dispatcher;

[Collection(SharedClusterCollection.Name)]
public sealed class DispatcherRoundTripTests(SharedCluster shared)
{
    [Fact]
    public void AddPipelinesRanTheModuleInitializerOfTheJobsAssembly()
    {
        foreach (string id in new[] { Args.Add, Args.CountRun, Args.Gated, Args.WaitForCancel, Args.Work, Args.Fail })
        {
            Assert.True(RemoteCalls.TryGet(id, out _), $"{id} is not registered.");
        }
    }

    [Fact]
    public async Task AddRoundTripsWithTheResultReturnedOrFetched()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ClusterCallId id = dispatcher.NewCallId();
        ClusterCallOutcome returned = await Wait.Bounded(dispatcher.RunAsync(id, Args.Add, [Args.Json(2), Args.Json(3)], returnResult: true), "Add");
        Assert.Equal(5, Args.Read<int>(returned));
        Assert.NotNull(returned.Silo);

        ClusterCallId held = dispatcher.NewCallId();
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(held, Args.Add, [Args.Json(40), Args.Json(2)]), "Add");
        Assert.Equal(ClusterCallStatus.Succeeded, outcome.Status);
        Assert.Null(outcome.Result); // held on the cluster until read
        Assert.Equal(42, Args.Read<int>(await Wait.Bounded(dispatcher.FetchAsync(held), "fetch")));
        Assert.Equal(2, dispatcher.ResultReads);
    }

    [Fact]
    public async Task RecordsWithListsAndNullsRoundTrip()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        var order = new Order("ada", [new Point(1, 2), new Point(3, 4)], null);
        string summarize = Args.Id("Summarize", "Pipelines.OrleansTests.Order");
        ClusterCallOutcome summary = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), summarize, [Args.Json(order)], returnResult: true), "Summarize");
        Assert.Equal(new OrderSummary("ada", 2, new Point(3, 4), 0m), Args.Read<OrderSummary>(summary));

        string scale = Args.Id("Scale", "Pipelines.OrleansTests.Point", "System.Int32");
        ClusterCallOutcome scaled = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), scale, [Args.Json(new Point(2, -3)), Args.Json(10)], returnResult: true), "Scale");
        Assert.Equal(new Point(20, -30), Args.Read<Point>(scaled));

        string echo = Args.Id("Echo", "System.String");
        ClusterCallOutcome nothing = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), echo, [Args.Json<string?>(null)], returnResult: true), "Echo");
        Assert.Null(Args.Read<string?>(nothing));

        string sum = Args.Id("Sum", "System.Int32[]");
        ClusterCallOutcome total = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), sum, [Args.Json(new[] { 1, 2, 3, 4 })], returnResult: true), "Sum");
        Assert.Equal(10, Args.Read<int>(total));
    }

    [Fact]
    public async Task ARemoteExceptionKeepsItsTypeMessageAndRemoteStack()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ClusterCallId id = dispatcher.NewCallId();
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(id, Args.Fail, [Args.Json("boom")]), "Fail");
        Assert.Equal(ClusterCallStatus.Faulted, outcome.Status);
        Assert.Equal(Pipelines.Remoting.RemoteExceptionFactory.TypeNameOf(typeof(InvalidOperationException)), outcome.Error!.TypeName);

        Exception exception = ClusterExceptions.ToException(outcome, id, Args.Fail);
        var invalid = Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal("boom", invalid.Message);
        Assert.Contains("Jobs.Fail", invalid.StackTrace, StringComparison.Ordinal); // the silo's stack, as the remote stack trace
    }

    [Fact]
    public async Task AnUnknownMethodFaultsWithMissingMethodNamingIt()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        const string missing = "M:Nowhere.Jobs.Missing(System.Int32)";
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), missing, [Args.Json(1)]), "missing method");
        Assert.Equal(ClusterCallStatus.Faulted, outcome.Status);
        Assert.Equal(Pipelines.Remoting.RemoteExceptionFactory.TypeNameOf(typeof(MissingMethodException)), outcome.Error!.TypeName);
        Assert.Contains(missing, outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArgumentsThatDoNotMatchTheMethodFaultTheCallNotTheShard()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        ClusterCallOutcome outcome = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [Args.Json("not a number"), Args.Json(1)]), "bad JSON");
        Assert.Equal(ClusterCallStatus.Faulted, outcome.Status);
        Assert.Equal(Pipelines.Remoting.RemoteExceptionFactory.TypeNameOf(typeof(System.Text.Json.JsonException)), outcome.Error!.TypeName);

        // The same shard still serves calls.
        ClusterCallOutcome next = await Wait.Bounded(dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [Args.Json(1), Args.Json(1)], returnResult: true), "Add");
        Assert.Equal(2, Args.Read<int>(next));
    }

    [Fact]
    public async Task MisuseThrowsNamingTheArgument()
    {
        await using ClusterDispatcher dispatcher = TestClusters.Dispatcher(shared.Cluster);
        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => dispatcher.RunAsync(dispatcher.NewCallId(), "", []));
        Assert.Equal("methodId", e1.ParamName);
        var e2 = await Assert.ThrowsAsync<ArgumentNullException>(() => dispatcher.RunAsync(dispatcher.NewCallId(), Args.Add, [Args.Json(1), null!]));
        Assert.Equal("arguments", e2.ParamName);
        Assert.Contains("arguments[1]", e2.Message, StringComparison.Ordinal);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterDispatcher(shared.Cluster.Client, new OrleansExecutorOptions { ShardCount = 0 }));
        Assert.Contains("ShardCount", e3.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("grains", () => new ClusterDispatcher(null!));
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterDispatcher(shared.Cluster.Client, new OrleansExecutorOptions { PollInterval = TestClusters.ResponseTimeout }));
        Assert.Contains("PollInterval", e4.Message, StringComparison.Ordinal);
        Assert.Contains("ResponseTimeout", e4.Message, StringComparison.Ordinal);
    }
}
