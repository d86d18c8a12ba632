using System;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Pipelines.Orleans;
using Pipelines.SharedTestJobs;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>
/// <see cref="OrleansExecutorOptions.JsonOptions"/> and <see cref="PipelinesSiloOptions.JsonOptions"/>: options from a
/// source-generated context (what trimmed and native-AOT applications must give) serialize arguments and results on the
/// client, on the silo that runs a call, and between silos, where a dependent reads its argument's value.
/// </summary>
public sealed class JsonOptionsTests
{
    [Fact]
    public async Task OptionsFromASourceGeneratedContextAreUsedByTheExecutorAndBySilos()
    {
        await using InProcessTestCluster cluster = await TestClusters.StartAsync(2, o => o.JsonOptions = SnakeCaseJsonContext.Default.Options);
        await using var executor = new OrleansExecutor(cluster.Client, new OrleansExecutorOptions
        {
            PollInterval = TimeSpan.FromSeconds(2),
            JsonOptions = SnakeCaseJsonContext.Default.Options,
        });
        Assert.Same(SnakeCaseJsonContext.Default.Options, executor.JsonOptions);

        // The silo reads first_value and second_value only if it uses the context too.
        Assert.Equal(5, await Wait.Bounded(executor.SubmitSumOf(new Pair(2, 3)).AsTask(), "the sum"));

        // A result that stays on its silo, read there by a dependent, then here.
        Future<Pair> swapped = executor.SubmitSwap(new Pair(2, 3));
        Assert.Equal(5, await Wait.Bounded(executor.SubmitSumOf(swapped).AsTask(), "the sum of the swapped pair"));
        Assert.Equal(new Pair(3, 2), await Wait.Bounded(swapped.AsTask(), "the swapped pair"));
    }
}
