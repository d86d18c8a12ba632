using System;
using System.Threading;
using Pipelines.Diagnostics;

namespace Pipelines.Internals;

// Per-call policies: retries with backoff ([Submittable(Retries = n)]) and a time limit per run
// ([Submittable(TimeoutMilliseconds = ms)], or the executor's own limit, such as a process pool's CallTimeout). The
// generator overrides the properties; the runtime applies them the same way on every executor, local or remote: the
// call's own clock cancels it, and a remote executor only reacts to the call's token.
public abstract partial class DependentFuture<TResult>
{
    private const int FirstBackoffMilliseconds = 50;
    private const int MaxBackoffMilliseconds = 5_000;

    private static readonly TimerCallback s_retryDue = static state => ((DependentFuture<TResult>)state!).OnRetryDue();
    private static readonly TimerCallback s_timeoutDue = static state => ((DependentFuture<TResult>)state!).CancelNow();

    /// <summary>
    /// How many times a run that throws is run again (<c>[Submittable(Retries = n)]</c>); 0 by default. Any exception
    /// but a cancellation is retried, after a backoff of 50 ms doubling per retry (at most 5 s, with ±25% jitter);
    /// the call waits Pending meanwhile, so it can be cancelled. The last run's exception is the call's.
    /// </summary>
    protected virtual int Retries => 0;

    /// <summary>
    /// Whether a run that threw <paramref name="exception"/> may run again (<c>[Submittable(RetryOn = …)]</c>): true by
    /// default, for any exception but a cancellation (never retried); the generated override tests the listed types.
    /// </summary>
    /// <param name="exception">What the run threw.</param>
    protected virtual bool ShouldRetry(Exception exception) => true;

    /// <summary>
    /// Milliseconds one run may take (<c>[Submittable(TimeoutMilliseconds = ms)]</c>); 0 for no limit. With an executor's
    /// own limit (<see cref="Executor.DefaultRunTimeLimit"/>) the shorter wins. When it is up, the call's token is signalled (a
    /// process pool stops its worker) and the future ends <see cref="FutureState.Cancelled"/>.
    /// </summary>
    protected virtual int TimeoutMilliseconds => 0;

    /// <summary>A run started: start its clock, unless its executor starts it when the run really begins elsewhere.</summary>
    private void OnRunStarted()
    {
        if (Telemetry.IsEnabled)
        {
            Telemetry.CallStarted(this);
        }

        if (!OwnerExecutor!.StartsRunClocksOnRun)
        {
            StartRunClock();
        }
    }

    private void StartRunClock()
    {
        if (RunTimeLimit() is { } limit)
        {
            var timer = new Timer(s_timeoutDue, this, Timeout.Infinite, Timeout.Infinite);
            SetAttemptTimer(timer);
            timer.Change(limit, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How long this run may take: the method's limit or the executor's, the shorter of the two; null for none.</summary>
    private TimeSpan? RunTimeLimit()
    {
        TimeSpan? method = TimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(TimeoutMilliseconds) : null;
        TimeSpan? executor = OwnerExecutor!.DefaultRunTimeLimit;
        return method is null || (executor is not null && executor < method) ? executor : method;
    }

    /// <summary>A run threw: retry it if the policy allows, else fault the call.</summary>
    private protected void FailRunning(Exception exception)
    {
        if (exception is not OperationCanceledException
            && Retries is > 0 and int retries
            && ShouldRetry(exception)
            && !IsCancellationRequested
            && !OwnerExecutor!.IsCancellingPending
            && CountRetry() is int retry && retry <= retries
            && TryReturnToPending())
        {
            int backoff = (int)Math.Min(MaxBackoffMilliseconds, (long)FirstBackoffMilliseconds << Math.Min(retry - 1, 16));
            backoff = (int)(backoff * (0.75 + (Random.Shared.NextDouble() * 0.5)));
            // The timer lives in the call's attempt slot: a Timer nobody references is collected and never fires.
            var timer = new Timer(s_retryDue, this, Timeout.Infinite, Timeout.Infinite);
            SetAttemptTimer(timer);
            timer.Change(backoff, Timeout.Infinite);
            return;
        }

        CompleteRunningWith(exception);
    }

    private void OnRetryDue()
    {
        if (State == FutureState.Pending)
        {
            OwnerExecutor!.Enqueue(this, readiedBy: this); // its own failed run made it ready again: ahead of new work
        }
    }
}
