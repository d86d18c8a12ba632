using System;
using Microsoft.Extensions.Logging;

namespace Pipelines.Hosting;

/// <summary>
/// Everything Pipelines.Hosting logs, under the category <c>Pipelines</c>, through the logging source generator
/// (no boxing, no reflection). Event ids are stable: filter on them.
/// </summary>
internal static partial class Log
{
    public const string Category = "Pipelines";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Pipelines executor '{Executor}' started ({Kind}, max workers {MaxWorkers})")]
    public static partial void ExecutorStarted(ILogger logger, string executor, string kind, int? maxWorkers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Pipelines executor '{Executor}' shut down: all accepted work finished in {ElapsedMilliseconds:0} ms")]
    public static partial void ExecutorStopped(ILogger logger, string executor, double elapsedMilliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Pipelines executor '{Executor}' did not finish its accepted work within the host's shutdown timeout; cancelling the calls that have not started and signalling the running ones")]
    public static partial void ExecutorShutdownTimedOut(ILogger logger, string executor);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Pipelines executor '{Executor}' finished after its work was cancelled, {ElapsedMilliseconds:0} ms after shutdown began")]
    public static partial void ExecutorStoppedAfterCancel(ILogger logger, string executor, double elapsedMilliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Pipelines executor '{Executor}' is broken: {Reason}")]
    public static partial void ExecutorBroken(ILogger logger, string executor, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "A done-callback of {Future} on Pipelines executor '{Executor}' threw")]
    public static partial void CallbackFaulted(ILogger logger, string future, string executor, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "A done-callback of {Future} threw, and its executor has no CallbackFaulted handler")]
    public static partial void UnobservedCallbackException(ILogger logger, string future, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "A faulted future was collected without anyone observing its exception: {Future}")]
    public static partial void UnobservedException(ILogger logger, string future, Exception exception);
}
