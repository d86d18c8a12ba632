using System;
using System.Collections.Generic;
using System.Threading;

namespace Pipelines;

/// <summary>
/// The calls whose body or completion is running on the current thread, innermost last. A thread that shuts down an
/// executor from inside its own work must not wait for these: they finish only after the shutdown call returns.
/// </summary>
/// <remarks>
/// One object per thread, registered once when the thread first runs a call, so that a monitor's sampler
/// (<c>Diagnostics.MonitorSampler</c>) can look at what another thread is running without anything being recorded per
/// call: only the owning thread writes; <see cref="CopyTo"/> reads from any thread and may see a frame late or a frame
/// that was just popped, never an error.
/// </remarks>
internal sealed class ExecutionFrames
{
    [ThreadStatic]
    private static ExecutionFrames? t_current;

    private static readonly object s_gate = new();
    private static WeakReference<ExecutionFrames>[] s_all = [];

    private Frame[] _frames = new Frame[8];
    private int _count;

    private ExecutionFrames()
    {
        Thread = Thread.CurrentThread;
    }

    /// <summary>The thread whose frames these are.</summary>
    public Thread Thread { get; }

    /// <summary>The thread's counters for a monitor, once it has them (see <c>Diagnostics.CallLane</c>).</summary>
    public Diagnostics.CallLane? Lane { get; set; }

    /// <summary>The innermost call running or completing on this thread, or null.</summary>
    public static Future? Innermost => t_current is { _count: > 0 } frames ? frames._frames[frames._count - 1].Future : null;

    /// <summary>This thread's frames, created on first need.</summary>
    public static ExecutionFrames ForCurrentThread() => t_current ?? Create();

    /// <summary>The frames of every thread that has run a call and is still alive.</summary>
    public static List<ExecutionFrames> All()
    {
        var alive = new List<ExecutionFrames>();
        foreach (WeakReference<ExecutionFrames> reference in Volatile.Read(ref s_all))
        {
            if (reference.TryGetTarget(out ExecutionFrames? frames) && frames.Thread.IsAlive)
            {
                alive.Add(frames);
            }
        }

        return alive;
    }

    /// <summary>Pushes <paramref name="future"/> on this thread's frames and returns them, for <see cref="PopFrame"/>.</summary>
    public static ExecutionFrames Push(Future future)
    {
        ExecutionFrames frames = t_current ?? Create();
        Frame[] stack = frames._frames;
        int count = frames._count;
        if (count == stack.Length)
        {
            Frame[] larger = new Frame[stack.Length * 2];
            Array.Copy(stack, larger, count);
            Volatile.Write(ref frames._frames, larger);
            stack = larger;
        }

        stack[count].Future = future; // a struct element: no covariant array-store check
        Volatile.Write(ref frames._count, count + 1);
        return frames;
    }

    /// <summary>Pops this thread's innermost frame.</summary>
    public static void Pop() => t_current!.PopFrame();

    /// <summary>Pops the innermost frame of these frames, which must be the current thread's (as <see cref="Push"/> returned them).</summary>
    public void PopFrame()
    {
        int count = _count - 1;
        Volatile.Write(ref _count, count);
        _frames[count].Future = null;
    }

    /// <summary>The distinct calls of <paramref name="executor"/> on this thread's stack.</summary>
    public static List<Future> Of(Executor executor)
    {
        var own = new List<Future>();
        if (t_current is not { } frames)
        {
            return own;
        }

        for (int i = 0; i < frames._count; i++)
        {
            Future frame = frames._frames[i].Future!;
            if (frame.OwnerExecutor == executor && !own.Contains(frame))
            {
                own.Add(frame);
            }
        }

        return own;
    }

    /// <summary>
    /// Copies the frames, outermost first, into <paramref name="buffer"/> and returns how many it copied (at most its
    /// length). Any thread may call it; the owner may push and pop meanwhile, so the copy is a moment's view, possibly
    /// with a frame just popped.
    /// </summary>
    public int CopyTo(Future?[] buffer)
    {
        int count = Volatile.Read(ref _count);
        Frame[] frames = Volatile.Read(ref _frames);
        int copied = Math.Min(Math.Min(count, frames.Length), buffer.Length);
        for (int i = 0; i < copied; i++)
        {
            buffer[i] = Volatile.Read(ref frames[i].Future);
        }

        return copied;
    }

    /// <summary>Makes this thread's frames and registers them (weakly: they go with the thread).</summary>
    private static ExecutionFrames Create()
    {
        var frames = new ExecutionFrames();
        lock (s_gate)
        {
            var kept = new List<WeakReference<ExecutionFrames>>(s_all.Length + 1);
            foreach (WeakReference<ExecutionFrames> reference in s_all)
            {
                if (reference.TryGetTarget(out ExecutionFrames? other) && other.Thread.IsAlive)
                {
                    kept.Add(reference);
                }
            }

            kept.Add(new WeakReference<ExecutionFrames>(frames));
            Volatile.Write(ref s_all, kept.ToArray());
        }

        t_current = frames;
        return frames;
    }

    private struct Frame
    {
        public Future? Future;
    }
}
