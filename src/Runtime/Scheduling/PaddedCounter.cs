using System.Runtime.InteropServices;

namespace Pipelines.Scheduling;

/// <summary>
/// An int alone on its cache line. Counters that every call changes (each stripe of an executor's count of unfinished
/// calls, the pool's searching worker) would otherwise share a line with fields that every call only reads (the
/// shutdown and broken flags, the queue) or with each other: each change would then cost each reader a cache miss.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    // 64 bytes either side: whatever the struct is placed next to, no other field shares Value's line.
    [FieldOffset(64)]
    public int Value;
}
