using System;
using System.Threading;

namespace Pipelines;

/// <summary>
/// Runs each call synchronously on the thread that submits it — or, for a call whose arguments are pending
/// futures, on the thread that completes the last of them. Deterministic: made for tests and for cheap
/// continuations.
/// </summary>
public sealed class InlineExecutor : Executor
{
    [ThreadStatic]
    private static InlineExecutor? t_running;

    /// <summary>Creates an inline executor.</summary>
    /// <param name="name">A name for error messages; default <c>InlineExecutor</c>.</param>
    public InlineExecutor(string? name = null)
        : base(name ?? "InlineExecutor")
    {
    }

    /// <summary>Runs <c>Then…</c> calls on futures that have no executor (made by <see cref="Future.FromResult{T}(T)"/>). Never shut down.</summary>
    internal static InlineExecutor ForCompletedFutures { get; } = new("InlineExecutor(completed futures)");

    private protected override bool IsOwnWorker => t_running == this;

    private protected override void EnqueueCore(IWorkItem item)
    {
        InlineExecutor? outer = t_running;
        t_running = this;
        try
        {
            item.Execute();
        }
        finally
        {
            t_running = outer;
        }
    }
}
