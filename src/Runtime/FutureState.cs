namespace Pipelines;

/// <summary>The life cycle of a <see cref="Future"/>. A future moves forward only, and reaches exactly one terminal state.</summary>
public enum FutureState
{
    /// <summary>Accepted but not started: queued, or waiting for the futures passed as its arguments.</summary>
    Pending = 0,

    /// <summary>The call is running on a worker.</summary>
    Running = 1,

    /// <summary>The call returned a result. Terminal.</summary>
    Succeeded = 2,

    /// <summary>The call (or one of its argument futures) threw. Terminal.</summary>
    Faulted = 3,

    /// <summary>The future was cancelled before it started, or its call observed its cancellation token. Terminal.</summary>
    Cancelled = 4,
}
