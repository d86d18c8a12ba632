namespace Pipelines.Orleans.Client;

/// <summary>
/// What the caller of <see cref="ClusterDispatcher.RunAsync"/> wants as the call goes on. The executor's attempt is its
/// one implementation; it is an interface so that the dispatcher, below the executor, does not know the executor (and
/// its own tests drive it with no watcher at all).
/// </summary>
internal interface ICallWatcher
{
    /// <summary>Asked before each message: true if the result should come back with the outcome (someone here now waits for the value).</summary>
    bool WantsResult { get; }

    /// <summary>Asked while waiting, once the call's token fired: true if nobody needs the outcome any more (the call already ended here).</summary>
    bool Abandoned { get; }
}
