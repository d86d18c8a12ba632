using System;

namespace Pipelines;

/// <summary>
/// Where a throwing done-callback is reported: the executor's <see cref="Executor.CallbackFaulted"/>, else
/// <see cref="Future.UnobservedCallbackException"/>, else standard error. Reporting never throws, so a worker that
/// completes a future always survives its callbacks.
/// </summary>
internal static class CallbackFailures
{
    public static void Report(Future future, Exception exception)
    {
        var args = new FutureCallbackExceptionEventArgs(future, exception);
        Exception? handlerException = null;
        try
        {
            if (future.OwnerExecutor?.RaiseCallbackFaulted(args) == true)
            {
                return;
            }

            if (Future.HasUnobservedCallbackHandler)
            {
                Future.RaiseUnobservedCallbackException(future, args);
                return;
            }
        }
        catch (Exception ex)
        {
            handlerException = ex;
        }

        string message = $"Pipelines: exception in a done-callback of {Describe(future)}: {Describe(exception)}";
        if (handlerException is not null)
        {
            message += $"{Environment.NewLine}and the callback-exception handler threw: {Describe(handlerException)}";
        }

        WriteError(message);
    }

    /// <summary>Formats user objects for standard error; their <c>ToString</c> is user code and may throw.</summary>
    public static string Describe(object value)
    {
        try
        {
            return value.ToString() ?? value.GetType().FullName!;
        }
        catch (Exception)
        {
            return $"{value.GetType().FullName} (its ToString() threw)";
        }
    }

    /// <summary>The last resort for failures nobody handles: standard error. Never throws.</summary>
    public static void WriteError(string message)
    {
        try
        {
            Console.Error.WriteLine(message);
        }
        catch (Exception)
        {
            // Standard error is closed or broken: there is nowhere left to report to, and a worker must survive.
        }
    }
}
