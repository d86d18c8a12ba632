namespace Pipelines.Orleans.Client;

/// <summary>
/// The <c>RemoteState</c> of a call's future: it leads to the call's <see cref="ClusterCall"/>, and when the future is
/// collected, its finalizer tells the executor, which releases the results the cluster holds for it. Nothing but the
/// future references it, so it is collected exactly when the future is.
/// </summary>
internal sealed class CallHandle(OrleansExecutor owner, ClusterCall call)
{
    public OrleansExecutor Owner { get; } = owner;

    public ClusterCall Call { get; } = call;

    ~CallHandle() => Owner.OnFutureCollected(Call);
}
