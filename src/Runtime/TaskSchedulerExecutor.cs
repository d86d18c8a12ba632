using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines;

/// <summary>
/// Runs calls on an existing <see cref="TaskScheduler"/> — the .NET thread pool by default, or a scheduler of the
/// application's own (a UI scheduler, a <see cref="ConcurrentExclusiveSchedulerPair"/>, a limited-concurrency
/// scheduler). Futures, stubs, shutdown and callbacks behave as on any executor.
/// </summary>
public sealed class TaskSchedulerExecutor : Executor
{
    private static readonly Action<object?> s_execute = static item => ((IWorkItem)item!).Execute();

    /// <summary>Creates an executor over <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">Where calls run; <see cref="TaskScheduler.Default"/> (the .NET thread pool) when null.</param>
    /// <param name="name">A name for error messages; default <c>TaskSchedulerExecutor</c>.</param>
    public TaskSchedulerExecutor(TaskScheduler? scheduler = null, string? name = null)
        : base(name ?? "TaskSchedulerExecutor") => Scheduler = scheduler ?? TaskScheduler.Default;

    /// <summary>The scheduler calls run on.</summary>
    public TaskScheduler Scheduler { get; }

    private protected override void EnqueueCore(IWorkItem item, Future? readiedBy)
    {
        if (Scheduler == TaskScheduler.Default && item is IThreadPoolWorkItem workItem)
        {
            // A call made ready by a completion on a pool thread runs next there, before work queued globally.
            ThreadPool.UnsafeQueueUserWorkItem(workItem, preferLocal: readiedBy is not null);
        }
        else
        {
            Task.Factory.StartNew(s_execute, item, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler);
        }
    }
}
