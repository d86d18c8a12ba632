using Orleans;

namespace ClusterSample;

/// <summary>
/// The baseline of the bench: a plain Orleans grain call doing the work of <see cref="Jobs.Add"/>, from the same client to
/// the same silos. What <c>executor.SubmitAdd</c> costs beyond it is what Pipelines adds.
/// </summary>
[Alias("pipelines.sample.add")]
public interface IAddGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="a"/> + <paramref name="b"/>.</summary>
    [Alias("add")]
    Task<int> Add(int a, int b);
}

/// <summary>The grain behind <see cref="IAddGrain"/>.</summary>
public sealed class AddGrain : Grain, IAddGrain
{
    /// <inheritdoc/>
    public Task<int> Add(int a, int b) => Task.FromResult(a + b);
}
