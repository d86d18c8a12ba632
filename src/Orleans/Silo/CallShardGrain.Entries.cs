using System;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

// A call in a shard's table, and where it is in its life.
internal sealed partial class CallShardGrain
{
    private enum EntryState
    {
        /// <summary>A dependent asked for it before its Run arrived.</summary>
        Expected,

        /// <summary>Resolving reference arguments, or queued for a worker thread.</summary>
        Waiting,

        /// <summary>The method is running.</summary>
        Running,

        /// <summary>Finished: <see cref="CallEntry.Outcome"/> is set.</summary>
        Done,
    }

    private sealed class CallEntry
    {
        public CallEntry(ClusterCallId id)
        {
            Id = id;
            TouchedAt = Environment.TickCount64;
        }

        public ClusterCallId Id { get; }

        public EntryState State { get; set; } = EntryState.Waiting;

        public ClusterCallOutcome? Outcome { get; private set; }

        public byte[]? Result { get; private set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource? Cancellation { get; set; }

        public bool CancelRequested { get; set; }

        public bool Released { get; set; }

        public long TouchedAt { get; private set; }

        public bool IsDone => State == EntryState.Done;

        public void Touch() => TouchedAt = Environment.TickCount64;

        public void Finish(ClusterCallOutcome outcome, byte[]? result)
        {
            if (IsDone)
            {
                return;
            }

            State = EntryState.Done;
            Outcome = outcome;
            Result = result;
            Touch();
            Done.TrySetResult();
        }

        public void CancelRun()
        {
            try
            {
                Cancellation?.Cancel();
            }
            catch (AggregateException)
            {
                // A token callback threw; the call still ends, cancelled or not.
            }
        }
    }
}
