using System.Linq;
using System.Threading.Tasks;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

// Leaving gracefully: a draining shard takes no new calls and hands back those that have not started (their clients
// send them elsewhere under the same id: they never ran), lets running calls finish, and serves the results it holds
// until their clients have moved them to another silo (Adopt) or released them — except results that may be
// recomputed, which it need not keep. SiloDrain decides how long the silo waits for that.
internal sealed partial class CallShardGrain
{
    public Task<ShardDrainState> Drain()
    {
        _draining = true;
        foreach (CallEntry entry in _calls.Values.ToArray()) // a snapshot: finishing an entry may remove it from the table
        {
            if (entry.State == EntryState.Expected)
            {
                HandBack(entry); // its Run has not arrived: when it does, it is handed back too
            }
            else if (!entry.IsDone && !entry.HandingBack)
            {
                entry.HandingBack = true;
                if (entry.Runner is { } runner)
                {
                    // Waiting for a worker thread: withdrawn, it never runs. Already running: it goes on.
                    entry.HandingBack = runner.TryWithdraw();
                }
                else
                {
                    entry.CancelRun(); // still reading its arguments: the read stops and the call ends handed back
                }
            }
        }

        return Task.FromResult(DrainState());
    }

    public async Task<ClusterCallOutcome> Adopt(ClusterCallId callId, string fromShard, bool mayRunAgain)
    {
        if (_calls.TryGetValue(callId, out CallEntry? entry))
        {
            return await WaitFor(entry, _runner.ReferencePollInterval, returnResult: false); // a repeated Adopt
        }

        if (_draining)
        {
            return HandedBackOutcome().WithBacklog(_runner.Backlog);
        }

        entry = new CallEntry(callId) { MayRunAgain = mayRunAgain };
        _calls.Add(callId, entry);
        ClusterCallOutcome read;
        try
        {
            read = await ResolveReference(new ClusterArgument { Reference = callId, ReferenceShard = fromShard }, System.Threading.CancellationToken.None);
        }
        catch (System.Exception) when (IsLocalHostStopping())
        {
            read = ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost, RuntimeIdentity);
        }

        if (read.Status == ClusterCallStatus.Succeeded)
        {
            Finish(entry, new ClusterCallOutcome { Status = ClusterCallStatus.Succeeded, Silo = RuntimeIdentity }, read.Result);
        }
        else
        {
            _calls.Remove(callId); // nothing to hold; the original's fate is its client's to learn
            entry.Finish(read, null);
        }

        entry.Delivered = true;
        return entry.Outcome!.WithBacklog(_runner.Backlog);
    }

    /// <summary>What keeps this shard from going away now.</summary>
    private ShardDrainState DrainState()
    {
        int running = 0, undelivered = 0, held = 0;
        foreach (CallEntry entry in _calls.Values)
        {
            if (entry.State == EntryState.Waiting)
            {
                running++;
            }
            else if (entry.IsDone && !entry.Released)
            {
                ClusterCallStatus status = entry.Outcome!.Status;
                if (status == ClusterCallStatus.Succeeded && !entry.MayRunAgain)
                {
                    held++; // its client must move it (or release it) first
                }
                else if (!entry.Delivered && status is not (ClusterCallStatus.Cancelled or ClusterCallStatus.Lost))
                {
                    undelivered++; // its client has yet to hear the outcome (a hand-back above all: it must send the call elsewhere)
                }
            }
        }

        return new ShardDrainState { Running = running, Undelivered = undelivered, Held = held };
    }

    /// <summary>Ends a call that never started here as handed back.</summary>
    private void HandBack(CallEntry entry) => Finish(entry, HandedBackOutcome(), null);

    private ClusterCallOutcome HandedBackOutcome()
    {
        _handedBack++;
        return new ClusterCallOutcome { Status = ClusterCallStatus.HandedBack, Silo = RuntimeIdentity };
    }
}
