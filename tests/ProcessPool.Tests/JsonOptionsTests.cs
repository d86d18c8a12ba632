using System.Text.Json;
using Pipelines.SharedTestJobs;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// <see cref="ProcessPoolOptions.JsonOptions"/>: options from a source-generated context (what trimmed and native-AOT
/// applications must give) serialize arguments and results on both sides of the pipe; the worker finds the same context.
/// </summary>
public sealed class JsonOptionsTests
{
    [Fact]
    public void OptionsFromASourceGeneratedContextAreUsedByThePoolAndByItsWorkers()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, JsonOptions = SnakeCaseJsonContext.Default.Options });
        Assert.Same(SnakeCaseJsonContext.Default.Options, pool.JsonOptions);

        // The worker reads first_value and second_value only if it uses the context too.
        Assert.Equal(5, pool.SubmitSumOf(new Pair(2, 3)).GetResult(Wait.Long));
        Assert.Equal(new Pair(3, 2), pool.SubmitSwap(new Pair(2, 3)).GetResult(Wait.Long));
    }

    [Fact]
    public void WithoutOptionsThePoolUsesTheReflectionDefaults()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Assert.Same(JsonSerializerOptions.Default, pool.JsonOptions);
        Assert.Equal(new Pair(3, 2), pool.SubmitSwap(new Pair(2, 3)).GetResult(Wait.Long));
    }
}
