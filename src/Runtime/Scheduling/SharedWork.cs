using System.Collections.Concurrent;

namespace Pipelines.Scheduling;

/// <summary>
/// A thread pool's shared work, in the order workers take it: first the calls made ready by a completion — the rest
/// of a pipeline already under way (an argument finished on another thread: an async call's continuation, a timer,
/// another executor) and retries whose backoff has passed — then the root calls that have not started. So a pipeline's
/// first results come first and its intermediate results die young, as Dask orders its graph depth-first, instead of
/// every root running before any of their dependents.
/// </summary>
/// <remarks>
/// Roots are never starved: a worker that has taken <see cref="RootTurn"/> - 1 continuations in a row while roots wait
/// takes a root next, so under a steady stream of continuations every taking worker still starts a root at least once
/// in <see cref="RootTurn"/> takes.
/// </remarks>
internal sealed class SharedWork
{
    /// <summary>At least one take in this many (per worker) is a root, when roots wait. Prime, as Go's scheduler's check of its global queue.</summary>
    internal const int RootTurn = 61;

    private readonly ConcurrentQueue<IWorkItem> _continuations = new();
    private readonly ConcurrentQueue<IWorkItem> _roots = new();

    public bool IsEmpty => _continuations.IsEmpty && _roots.IsEmpty;

    public bool HasContinuations => !_continuations.IsEmpty;

    public bool HasRoots => !_roots.IsEmpty;

    public int Count => _continuations.Count + _roots.Count;

    /// <summary>A call made ready by a completion, or a retry due again.</summary>
    public void AddContinuation(IWorkItem item) => _continuations.Enqueue(item);

    /// <summary>A call ready when it was submitted.</summary>
    public void AddRoot(IWorkItem item) => _roots.Enqueue(item);

    /// <summary>
    /// A continuation for a worker that has taken <paramref name="continuationsInARow"/> of them since its last root;
    /// none when it is the roots' turn, unless <paramref name="evenOnRootsTurn"/> (no root may be taken now).
    /// </summary>
    public IWorkItem? TakeContinuation(ref int continuationsInARow, bool evenOnRootsTurn)
    {
        if ((continuationsInARow < RootTurn - 1 || evenOnRootsTurn) && _continuations.TryDequeue(out IWorkItem? item))
        {
            continuationsInARow++;
            return item;
        }

        return null;
    }

    /// <summary>A root, for a worker whose count of continuations in a row starts again.</summary>
    public IWorkItem? TakeRoot(ref int continuationsInARow)
    {
        if (_roots.TryDequeue(out IWorkItem? item))
        {
            continuationsInARow = 0;
            return item;
        }

        return null;
    }

    /// <summary>Any queued call, for draining at shutdown or when the pool breaks.</summary>
    public IWorkItem? TakeAny() =>
        _continuations.TryDequeue(out IWorkItem? item) || _roots.TryDequeue(out item) ? item : null;
}
