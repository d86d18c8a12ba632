using System;

namespace Pipelines;

/// <summary>
/// How many items the next chunk of a remote map carries, unless the caller fixed it (<c>chunkSize</c>). A chunk should
/// run long enough that the cost of one remote call — serializing, the pipe or the network, waking two threads — is
/// small beside it, and no longer, so slow items still spread over every worker and the first results come soon:
/// <list type="bullet">
/// <item>the first chunks carry one item each, to measure;</item>
/// <item>each chunk reports how long its items ran where it ran, and the map keeps the per-item time (a moving average)
/// and the per-call overhead (the smallest round trip less the run time seen so far);</item>
/// <item>later chunks carry as many items as run in <see cref="TargetOverheadRatio"/> times the overhead, at least
/// <see cref="MinimumChunkTime"/> — so the overhead stays under about 5% of the work;</item>
/// <item>a chunk is at most <see cref="GrowthLimit"/> times the largest finished one, and at most <see cref="MaximumChunk"/>
/// items, so one misleading measurement cannot send a huge chunk of slow items.</item>
/// </list>
/// </summary>
internal sealed class ChunkSizer(int? fixedSize)
{
    /// <summary>The most items in one chunk chosen here (a fixed <c>chunkSize</c> may be larger).</summary>
    public const int MaximumChunk = 4096;

    /// <summary>How much a chunk may grow beyond the largest one that finished.</summary>
    public const int GrowthLimit = 8;

    /// <summary>A chunk runs for at least this long once items are measured.</summary>
    public static readonly TimeSpan MinimumChunkTime = TimeSpan.FromMilliseconds(2);

    /// <summary>A chunk runs this many times the per-call overhead.</summary>
    public const double TargetOverheadRatio = 20;

    private readonly object _lock = new();
    private double _itemSeconds = -1;               // moving average of the run time per item; -1 before the first report
    private double _overheadSeconds = double.MaxValue; // smallest round trip less run time
    private int _largestFinished;

    /// <summary>The size of the next chunk.</summary>
    public int Next()
    {
        if (fixedSize is int size)
        {
            return size;
        }

        lock (_lock)
        {
            if (_itemSeconds < 0)
            {
                return 1;
            }

            double overhead = _overheadSeconds == double.MaxValue ? 0 : _overheadSeconds;
            double target = Math.Max(MinimumChunkTime.TotalSeconds, TargetOverheadRatio * overhead);
            double items = target / Math.Max(_itemSeconds, 1e-9);
            return (int)Math.Clamp(Math.Min(items, (double)_largestFinished * GrowthLimit), 1, MaximumChunk);
        }
    }

    /// <summary>A chunk of <paramref name="count"/> items finished: its items ran for <paramref name="runSeconds"/> in all, the whole call took <paramref name="roundTripSeconds"/>.</summary>
    public void Record(int count, double runSeconds, double roundTripSeconds)
    {
        if (fixedSize is not null || count < 1 || runSeconds < 0)
        {
            return;
        }

        lock (_lock)
        {
            double perItem = runSeconds / count;
            _itemSeconds = _itemSeconds < 0 ? perItem : (0.7 * _itemSeconds) + (0.3 * perItem);
            _overheadSeconds = Math.Min(_overheadSeconds, Math.Max(0, roundTripSeconds - runSeconds));
            _largestFinished = Math.Max(_largestFinished, count);
        }
    }
}
