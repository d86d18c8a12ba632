using System;
using System.Collections.Generic;

namespace Pipelines;

/// <summary>
/// The calls whose body or completion is running on the current thread, innermost last. A thread that shuts down an
/// executor from inside its own work must not wait for these: they finish only after the shutdown call returns.
/// </summary>
internal static class ExecutionFrames
{
    [ThreadStatic]
    private static Future?[]? t_frames;

    [ThreadStatic]
    private static int t_count;

    /// <summary>The innermost call running or completing on this thread, or null.</summary>
    public static Future? Innermost => t_count > 0 ? t_frames![t_count - 1] : null;

    public static void Push(Future future)
    {
        Future?[] frames = t_frames ??= new Future?[8];
        if (t_count == frames.Length)
        {
            Array.Resize(ref t_frames, frames.Length * 2);
            frames = t_frames;
        }

        frames[t_count++] = future;
    }

    public static void Pop() => t_frames![--t_count] = null;

    /// <summary>The distinct calls of <paramref name="executor"/> on this thread's stack.</summary>
    public static List<Future> Of(Executor executor)
    {
        var own = new List<Future>();
        for (int i = 0; i < t_count; i++)
        {
            Future frame = t_frames![i]!;
            if (frame.OwnerExecutor == executor && !own.Contains(frame))
            {
                own.Add(frame);
            }
        }

        return own;
    }
}
