using System;

namespace Pipelines.Diagnostics;

internal sealed partial class MonitorSampler
{
    /// <summary>What the sampler remembers of one thread between looks.</summary>
    private sealed class LaneState(ExecutionFrames frames, long sessionStart)
    {
        private CallLane? _lane;
        private long[] _seen = [];

        public string Name { get; } = frames.Thread.Name ?? $"thread {frames.Thread.ManagedThreadId}";

        /// <summary>The look that last found the thread alive.</summary>
        public long LastSeen { get; set; }

        /// <summary>The innermost running call at the last look: a bar of its own if it is still there at the next.</summary>
        public Future? Candidate { get; set; }

        public long CandidateSince { get; set; }

        /// <summary>The bar of the call the lane runs for longer than an interval.</summary>
        public MonitorBar? Open { get; set; }

        /// <summary>The last coalesced bar, extended while the same method dominates.</summary>
        public MonitorBar? Coalesced { get; set; }

        /// <summary>Calls that ran to an end on this lane since the last look, per slot: finished, of which threw; and their total.</summary>
        public (long[] Ran, long[] Threw, long Total) TakeFinished()
        {
            if (_lane is null)
            {
                if (frames.Lane is not { } lane)
                {
                    return ([], [], 0); // it has run calls but counted none yet (see CallLane)
                }

                // A lane that counted before the session started is read from where it stood: those calls are not this session's.
                _lane = lane;
                _seen = lane.CreatedAt > sessionStart ? [] : (long[])lane.Counts.Clone();
            }

            long[] counts = _lane.Counts;
            int slots = counts.Length / CallLane.Stride;
            var ran = new long[slots];
            var threw = new long[slots];
            long total = 0;
            for (int slot = 0; slot < slots; slot++)
            {
                int at = slot * CallLane.Stride;
                long succeeded = Delta(counts, at + CallLane.Succeeded);
                long faulted = Delta(counts, at + CallLane.FaultedRan);
                long cancelled = Delta(counts, at + CallLane.CancelledRan);
                ran[slot] = succeeded + faulted + cancelled;
                threw[slot] = faulted;
                total += ran[slot];
            }

            if (_seen.Length < counts.Length)
            {
                Array.Resize(ref _seen, counts.Length);
            }

            Array.Copy(counts, _seen, counts.Length);
            return (ran, threw, total);
        }

        public void Forget()
        {
            Candidate = null;
            if (Open is { } open)
            {
                open.Call = null;
                open.IsRunning = false;
            }
        }

        private long Delta(long[] counts, int index) => Math.Max(0, counts[index] - (index < _seen.Length ? _seen[index] : 0));
    }
}
