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

        /// <summary>Resolving reference arguments, or queued for (or running on) a worker thread: see <see cref="CallEntry.Runner"/>.</summary>
        Waiting,

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

        /// <summary>
        /// Completes when the call finishes. Completed only on the activation's turn, and its continuations (the Run or Wait
        /// that waits for the outcome) run inline on that same turn: the outcome goes back to the client without one more
        /// trip through the activation's scheduler.
        /// </summary>
        public TaskCompletionSource Done { get; } = new();

        /// <summary>Fires on a timeout or a cancel while the call reads its arguments; null for a call that needs no token.</summary>
        public CancellationTokenSource? Cancellation { get; set; }

        /// <summary>The call on the silo's worker threads, once its arguments are resolved.</summary>
        public RunnerCall? Runner { get; set; }

        public bool CancelRequested { get; set; }

        /// <summary>The shard is draining and gives this call back unrun: it ends <see cref="ClusterCallStatus.HandedBack"/>.</summary>
        public bool HandingBack { get; set; }

        /// <summary>The method may run again: a draining shard need not wait for this result to be moved.</summary>
        public bool MayRunAgain { get; set; }

        /// <summary>A client has been given the final outcome (a Run, Wait or Adopt returned it).</summary>
        public bool Delivered { get; set; }

        public bool Released { get; set; }

        /// <summary>The <see cref="ClusterCallRequest.Resend"/> of the Run that created it.</summary>
        public int Resend { get; init; }

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
            Runner = null;
            Touch();
            Done.TrySetResult();
        }

        /// <summary>Cancels the call: its token if it has one (argument reads, a timeout), and its call on a worker thread.</summary>
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

            Runner?.Cancel();
        }
    }
}
