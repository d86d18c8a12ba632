using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Diagnostics;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans.Silo;

// Running a call: resolve its reference arguments, run the method on the silo's worker threads (inside the span that
// continues the client's trace, when one came with it), and record the outcome for the client and for dependents.
internal sealed partial class CallShardGrain
{
    private void StartRun(CallEntry entry, ClusterCallRequest request)
    {
        entry.State = EntryState.Waiting;

        // A token only where something waits on one: a timeout, or argument reads. A call that goes straight to a worker
        // is cancelled through its runner call (CallEntry.CancelRun).
        if (request.Timeout is TimeSpan timeout)
        {
            entry.Cancellation = new CancellationTokenSource(timeout);
        }
        else if (HasReferences(request))
        {
            entry.Cancellation = new CancellationTokenSource();
        }

        _ = RunCall(entry, request); // never throws: every path finishes the entry
    }

    private static bool HasReferences(ClusterCallRequest request)
    {
        foreach (ClusterArgument argument in request.Arguments)
        {
            if (argument.IsReference)
            {
                return true;
            }
        }

        return false;
    }

    private async Task RunCall(CallEntry entry, ClusterCallRequest request)
    {
        CancellationToken token = entry.Cancellation?.Token ?? CancellationToken.None;
        ClusterCallOutcome outcome;
        byte[]? result = null;
        Activity? span = null;
        Exception? failure = null;
        try
        {
            ClusterArgument[] arguments = request.Arguments;
            var values = new byte[arguments.Length][];
            for (int i = 0; i < arguments.Length; i++)
            {
                if (!arguments[i].IsReference)
                {
                    values[i] = arguments[i].Json!;
                    continue;
                }

                ClusterCallOutcome argument = await ResolveReference(arguments[i], token);
                if (argument.Status != ClusterCallStatus.Succeeded)
                {
                    Finish(entry, argument.AsArgumentOutcome(i), null);
                    return;
                }

                values[i] = argument.Result!;
            }

            token.ThrowIfCancellationRequested();

            // A traced call runs inside a span that continues the client's call span (null when none was sent). Current
            // while the call is handed to the silo's worker pool, so the pool's span for it, and the spans the method
            // opens, are its descendants.
            span = PipelinesTelemetry.StartRemoteActivity(request.MethodId, request.TraceParent, request.TraceState);
            RunnerCall runner = _runner.Start(request.MethodId, JoinArray(values), token);
            entry.Runner = runner;
            _started++;
            if (entry.CancelRequested)
            {
                runner.Cancel(); // cancelled while its arguments were read, without a token to tell
            }

            try
            {
                result = await runner.Completion;
            }
            finally
            {
                runner.Settle();
            }
            outcome = new ClusterCallOutcome { Status = ClusterCallStatus.Succeeded, Silo = RuntimeIdentity };
        }
        catch (OperationCanceledException) when (entry.HandingBack)
        {
            // The shard is draining and took the call back before it started (its arguments were still being read, or it
            // waited for a thread): it never ran, and its client sends it elsewhere.
            if (entry.Runner is not null)
            {
                _started--;
            }

            outcome = HandedBackOutcome();
        }
        catch (Exception) when (_runner.IsStopping || IsLocalHostStopping())
        {
            // The silo is going away under the call (its executor shut down, or Orleans refuses our own messages):
            // that is not the method's fault, and whether it ran is unknown.
            outcome = ClusterCallOutcome.Lost(ClusterCallLostReason.SiloLost, RuntimeIdentity);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested || entry.CancelRequested)
        {
            if (entry.Runner is { HasStarted: true })
            {
                _cancelledWhileRunning++;
            }

            outcome = new ClusterCallOutcome
            {
                Status = ClusterCallStatus.Cancelled,
                Silo = RuntimeIdentity,
                TimedOut = !entry.CancelRequested && request.Timeout is not null,
            };
        }
        catch (Exception ex)
        {
            failure = ex;
            outcome = new ClusterCallOutcome { Status = ClusterCallStatus.Faulted, Error = ClusterError.From(ex), Silo = RuntimeIdentity };
        }

        if (span is not null)
        {
            PipelinesTelemetry.EndRemoteActivity(span, failure);
        }

        Finish(entry, outcome, result);
    }

    private bool IsLocalHostStopping() => _localHostStopping;

    private void Finish(CallEntry entry, ClusterCallOutcome outcome, byte[]? result)
    {
        entry.Finish(outcome, result);
        entry.Cancellation?.Dispose();
        entry.Cancellation = null;
        if (entry.Released && _calls.TryGetValue(entry.Id, out CallEntry? held) && ReferenceEquals(held, entry))
        {
            _calls.Remove(entry.Id);
        }
    }

    /// <summary>Joins argument JSON values into one JSON array, the invoker's input.</summary>
    private static byte[] JoinArray(byte[][] values)
    {
        int length = 2 + Math.Max(0, values.Length - 1);
        foreach (byte[] value in values)
        {
            length += value.Length;
        }

        byte[] array = new byte[length];
        int position = 0;
        array[position++] = (byte)'[';
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                array[position++] = (byte)',';
            }

            values[i].CopyTo(array, position);
            position += values[i].Length;
        }

        array[position] = (byte)']';
        return array;
    }
}
