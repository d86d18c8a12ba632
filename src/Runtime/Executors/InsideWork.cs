using System.Collections.Generic;
using System.Threading;

namespace Pipelines;

/// <summary>
/// The calls of an executor that a shutdown called from inside that executor's work must not wait for: the calls
/// running or completing on the current thread, the async call whose continuation this is, and every pending call
/// of the executor that waits (directly or through others) for one of them. They cannot finish before the shutdown
/// call returns; waiting for them would hang.
/// </summary>
internal sealed class InsideWork
{
    private static readonly AsyncLocal<Future?> s_currentAsyncCall = new();

    private readonly Executor _executor;
    private readonly List<Future> _own;

    private InsideWork(Executor executor, List<Future> own)
    {
        _executor = executor;
        _own = own;
    }

    /// <summary>The async call whose body (or a continuation of it) is running, flowed with the ExecutionContext.</summary>
    public static Future? CurrentAsyncCall
    {
        get => s_currentAsyncCall.Value;
        set => s_currentAsyncCall.Value = value;
    }

    /// <summary>The caller's own work on <paramref name="executor"/>, or null when the caller is outside it.</summary>
    public static InsideWork? Find(Executor executor)
    {
        List<Future> own = ExecutionFrames.Of(executor);
        if (CurrentAsyncCall is { } call && call.OwnerExecutor == executor && !call.IsDone && !own.Contains(call))
        {
            own.Add(call);
        }

        return own.Count == 0 ? null : new InsideWork(executor, own);
    }

    /// <summary>True when every unfinished call of the executor is one of the callers' own calls, or waits on one.</summary>
    public static bool OnlyTheyRemain(List<InsideWork> callers, int outstanding)
    {
        // The callers' own calls finish only after they return; a call waiting on them counts while it is not done
        // (once done, its continuations may still be running: it is then still in the outstanding count, and we wait
        // for it). Who waits on them changes as calls block and finish, so the closure is computed afresh each time.
        var seen = new HashSet<Future>(ReferenceEqualityComparer.Instance);
        var frontier = new Stack<Future>();
        foreach (InsideWork caller in callers)
        {
            foreach (Future own in caller._own)
            {
                if (seen.Add(own))
                {
                    frontier.Push(own);
                }
            }
        }

        int allowance = seen.Count;
        Executor executor = callers[0]._executor;
        while (frontier.TryPop(out Future? future))
        {
            foreach (Future dependent in future.PendingDependents())
            {
                if (dependent.OwnerExecutor == executor && seen.Add(dependent))
                {
                    allowance++;
                    frontier.Push(dependent);
                }
            }
        }

        return outstanding <= allowance;
    }
}
