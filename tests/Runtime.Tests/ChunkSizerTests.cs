using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// How many items the next chunk of a remote map carries: one at first, to measure; then as many as run in 20 times
/// the per-call overhead (at least 2 ms of work), growing at most eightfold past the largest finished chunk, at most
/// 4,096; a fixed chunk size is kept as given.
/// </summary>
public sealed class ChunkSizerTests
{
    [Fact]
    public void TheFirstChunksCarryOneItemToMeasure()
    {
        var sizer = new ChunkSizer(fixedSize: null);
        Assert.Equal(1, sizer.Next());
        Assert.Equal(1, sizer.Next());
    }

    [Fact]
    public void ItemsSlowerThanTheTargetChunkTimeGoOnePerCall()
    {
        var sizer = new ChunkSizer(fixedSize: null);
        sizer.Record(count: 1, runSeconds: 0.020, roundTripSeconds: 0.0203); // 20 ms of work, 0.3 ms of overhead
        Assert.Equal(1, sizer.Next()); // a target of 6 ms holds no whole item
    }

    [Fact]
    public void AnOverheadMeasuredLargerMakesChunksLonger()
    {
        var sizer = new ChunkSizer(fixedSize: null);
        sizer.Record(count: 1, runSeconds: 0.020, roundTripSeconds: 0.0225); // 2.5 ms of overhead: a 50 ms target
        Assert.Equal(2, sizer.Next());
    }

    [Fact]
    public void FastItemsGrowTheChunksEightfoldPerFinishedChunkUpToTheMaximum()
    {
        var sizer = new ChunkSizer(fixedSize: null);
        sizer.Record(count: 1, runSeconds: 100e-9, roundTripSeconds: 50e-6); // 100 ns items, 50 µs per call
        Assert.Equal(ChunkSizer.GrowthLimit, sizer.Next());
        sizer.Record(count: 8, runSeconds: 800e-9, roundTripSeconds: 60e-6);
        Assert.Equal(64, sizer.Next());
        sizer.Record(count: 4096, runSeconds: 4096 * 100e-9, roundTripSeconds: 500e-6);
        Assert.Equal(ChunkSizer.MaximumChunk, sizer.Next()); // 20,000 items would fill the 2 ms minimum
    }

    [Fact]
    public void AFixedChunkSizeIsKeptWhateverTheMeasurementsSay()
    {
        var sizer = new ChunkSizer(fixedSize: 10);
        sizer.Record(count: 10, runSeconds: 1, roundTripSeconds: 1.001);
        Assert.Equal(10, sizer.Next());
    }
}
