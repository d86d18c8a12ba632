using System;
using System.Threading.Tasks;

namespace Pipelines;

// Tasks as futures: what an async API returns feeds stubs, Then and waits directly.
public abstract partial class Future
{
    /// <summary>
    /// A future of <paramref name="task"/>'s outcome, so what an async API returns feeds stubs without a hop: it is
    /// Running until the task completes, then completes on the same thread (already done if the task is). A faulted task
    /// faults it with the task's exception (the one <c>await</c> throws; an <see cref="AggregateException"/> when the
    /// task holds several), a cancelled task cancels it. <see cref="Cancel"/> cannot stop the task.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static Future<T> FromTask<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            return Completed(task);
        }

        var source = new FutureCompletionSource<T>();
        source.TrySetRunning();
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => Complete(source, task));
        return source.Future;
    }

    /// <summary>A future of <paramref name="task"/>'s outcome; see <see cref="FromTask{T}(Task{T})"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static Future FromTask(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            return task.Status switch
            {
                TaskStatus.RanToCompletion => CompletedFuture,
                TaskStatus.Canceled => FromCancelled(),
                _ => FromException(ExceptionOf(task)),
            };
        }

        var source = new FutureCompletionSource<Internals.VoidResult>();
        source.TrySetRunning();
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => Complete(source, task, static _ => default));
        return source.Future;
    }

    private static Future<T> Completed<T>(Task<T> task) => task.Status switch
    {
        TaskStatus.RanToCompletion => FromResult(task.Result),
        TaskStatus.Canceled => FromCancelled<T>(),
        _ => FromException<T>(ExceptionOf(task)),
    };

    private static void Complete<T>(FutureCompletionSource<T> source, Task<T> task) => Complete(source, task, static t => ((Task<T>)t).Result);

    private static void Complete<T>(FutureCompletionSource<T> source, Task task, Func<Task, T> result)
    {
        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                source.TrySetResult(result(task));
                break;
            case TaskStatus.Canceled:
                source.TrySetCancelled();
                break;
            default:
                source.TrySetException(ExceptionOf(task));
                break;
        }
    }

    private static Exception ExceptionOf(Task task) =>
        task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
}

/// <summary>Tasks as futures: <c>task.AsFuture()</c>.</summary>
public static class FutureTaskExtensions
{
    /// <summary>A future of the task's outcome, without a hop: see <see cref="Future.FromTask{T}(Task{T})"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static Future<T> AsFuture<T>(this Task<T> task) => Future.FromTask(task);

    /// <summary>A future of the task's outcome, without a hop: see <see cref="Future.FromTask(Task)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static Future AsFuture(this Task task) => Future.FromTask(task);
}
