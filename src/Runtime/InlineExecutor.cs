namespace Pipelines;

/// <summary>
/// Runs each call synchronously on the thread that submits it — or, for a call whose arguments are pending
/// futures, on the thread that completes the last of them. Deterministic: made for tests and for cheap
/// continuations.
/// </summary>
public sealed class InlineExecutor : Executor
{
    /// <summary>Creates an inline executor.</summary>
    /// <param name="name">A name for error messages; default <c>InlineExecutor</c>.</param>
    public InlineExecutor(string? name = null)
        : base(name ?? "InlineExecutor")
    {
    }

    /// <summary>Runs <c>Then…</c> calls on futures that have no executor (made by <see cref="Future.FromResult{T}(T)"/>). Never shut down.</summary>
    internal static InlineExecutor ForCompletedFutures { get; } = new("InlineExecutor(completed futures)") { FinishesWorkAtExit = false };

    private protected override void EnqueueCore(IWorkItem item, Future? readiedBy) => item.Execute();
}
