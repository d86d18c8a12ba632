using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans;

// Lineage: a result that succeeded and was then lost with its silo is computed again from the call's method and
// arguments (recomputing lost arguments first), as Ray reconstructs lost objects. Only calls whose method has
// [Submittable(Retries = n)] are recomputed: that attribute declares the method safe to run again.
public sealed partial class OrleansExecutor
{
    /// <summary>Recomputes <paramref name="record"/>'s lost result on the cluster (one recompute at a time per call); true once it is held again.</summary>
    private Task<bool> Recompute(ClusterCall record) =>
        record.Recompute(static (call, executor) => Task.Run(() => executor.RecomputeCoreAsync(call)), this);

    private async Task<bool> RecomputeCoreAsync(ClusterCall call)
    {
        if (call.Arguments is not { } sent)
        {
            return false;
        }

        try
        {
            // One try per retry the method allows, plus the tries an argument's own recompute makes possible.
            int tries = call.TimesItMayRunAgain;
            int budget = 4 * (tries + 1); // bounds the tries given back below, should silos keep dying
            while (tries-- > 0 && budget-- > 0 && !_drained)
            {
                var arguments = new ClusterArgument[sent.Length];
                for (int i = 0; i < sent.Length; i++)
                {
                    arguments[i] = call.ArgumentCalls?[i] is { } source ? _dispatcher.Reference(source.Id) : sent[i];
                }

                ClusterCallId id = call.NewAttempt(_dispatcher);
                _held.TryAdd(call, 0);
                Interlocked.Increment(ref _attempts);
                Task<ClusterCallOutcome> run = _dispatcher.RunAsync(id, call.MethodId, arguments, traceContext: call.TraceContext, mayRunAgain: true);
                call.Publish(id); // reads and dependents now wait for this attempt
                ClusterCallOutcome outcome = await run.ConfigureAwait(false);
                switch (outcome.Status)
                {
                    case ClusterCallStatus.Succeeded:
                        call.ResultLost = false;
                        Interlocked.Increment(ref _recomputed);
                        LogRecomputed(_logger, call.MethodId, id);
                        return true;
                    case ClusterCallStatus.Lost:
                        continue; // its silo died too; try again
                    case ClusterCallStatus.ArgumentLost when (call.ArgumentCalls?[outcome.ArgumentIndex]) is { MayRecompute: true } source:
                        source.ResultLost = true;
                        if (await Recompute(source).ConfigureAwait(false))
                        {
                            tries++; // the argument is back: this try did not count
                            continue;
                        }

                        LogNotRecomputed(_logger, call.MethodId, outcome.ToString());
                        return false;
                    default:
                        LogNotRecomputed(_logger, call.MethodId, outcome.ToString());
                        return false;
                }
            }

            return false;
        }
        catch (Exception ex)
        {
            // The dispatcher was closed, or the client stopped: the result stays lost.
            LogNotRecomputed(_logger, call.MethodId, ex.Message);
            return false;
        }
        finally
        {
            // Arguments recomputed only for this call (their futures are gone) are not needed any more.
            if (call.ArgumentCalls is { } sources)
            {
                foreach (ClusterCall? source in sources)
                {
                    if (source is { FutureCollected: true })
                    {
                        Release(source);
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recomputed the lost result of {MethodId} as cluster call {CallId}.")]
    private static partial void LogRecomputed(ILogger logger, string methodId, ClusterCallId callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recompute the lost result of {MethodId}: {Why}.")]
    private static partial void LogNotRecomputed(ILogger logger, string methodId, string why);
}
