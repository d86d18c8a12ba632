using System;
using System.Threading;

namespace Pipelines;

/// <summary>An absolute point in time computed once from a user's timeout, so loops never stretch it.</summary>
internal readonly struct Deadline
{
    private readonly long _endTick;

    private Deadline(long endTick) => _endTick = endTick;

    public static Deadline Infinite => new(long.MaxValue);

    public bool IsInfinite => _endTick == long.MaxValue;

    /// <summary>Milliseconds left: -1 for infinite, 0 once expired.</summary>
    public int RemainingMilliseconds =>
        IsInfinite ? Timeout.Infinite : (int)Math.Clamp(_endTick - Environment.TickCount64, 0, int.MaxValue - 1);

    public bool IsExpired => RemainingMilliseconds == 0;

    /// <summary>Validates a user timeout (null or infinite means forever) and turns it into a deadline.</summary>
    public static Deadline From(TimeSpan? timeout, string paramName)
    {
        if (timeout is not { } value || value == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The timeout must be non-negative, at most Int32.MaxValue - 1 milliseconds, or Timeout.InfiniteTimeSpan.");
        }

        return new Deadline(Environment.TickCount64 + (long)Math.Ceiling(value.TotalMilliseconds));
    }
}
