using System;

namespace Pipelines;

/// <summary>A ready call as an executor sees it. The call is its own work item: queueing it allocates nothing more.</summary>
internal interface IWorkItem
{
    /// <summary>The call's future (the same object).</summary>
    Future Future { get; }

    /// <summary>True once every argument future has completed, i.e. the call has been handed to its executor.</summary>
    bool IsReady { get; }

    /// <summary>Runs the call on this thread, unless it was cancelled or another thread claimed it first.</summary>
    void Execute();

    /// <summary>Fails a call that has not started (its executor broke).</summary>
    void Fail(Exception exception);
}
