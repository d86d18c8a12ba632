using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Shared timeouts and helpers. Timeouts are generous: they only fire on a real hang.</summary>
internal static class Wait
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>Waits for a condition to hold (polls; used only for counters the runtime updates after the fact).</summary>
    public static void Until(Func<bool> condition, string what)
    {
        Assert.True(SpinWait.SpinUntil(condition, Long), $"Timed out waiting until {what}.");
    }

    public static void For(ManualResetEventSlim e, string what) => Assert.True(e.Wait(Long), $"Timed out waiting for {what}.");

    public static void For(Barrier b) => Assert.True(b.SignalAndWait(Long), "Timed out at a barrier.");

    public static void Done(Future f) => Assert.True(f.Wait(Long), $"Timed out waiting for {f}.");
}

/// <summary>Counts runs of a job (a class, so a job submitted through a stub increments the test's own instance).</summary>
public sealed class RunCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int Increment() => Interlocked.Increment(ref _count);
}

/// <summary>
/// A future completed by the test (Python's bare <c>Future()</c> + <c>set_result</c>): an async call on an inline
/// executor that awaits a <see cref="TaskCompletionSource{TResult}"/>. It is Running until completed.
/// </summary>
internal sealed class Promise<T>
{
    private static readonly InlineExecutor s_executor = new("promises");
    private readonly TaskCompletionSource<T> _source = new();

    public Promise() => Future = s_executor.Submit(_ => _source.Task);

    public Future<T> Future { get; }

    public void SetResult(T value)
    {
        _source.SetResult(value);
        Wait.Done(Future);
    }

    public void SetException(Exception ex)
    {
        _source.SetException(ex);
        Wait.Done(Future);
    }
}

/// <summary>Helpers to make and check garbage.</summary>
internal static class Gc
{
    public static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>True once the target is collected (collects a few times: a weak handle may lag a cycle).</summary>
    public static bool IsCollected(WeakReference reference)
    {
        for (int i = 0; i < 10 && reference.IsAlive; i++)
        {
            Collect();
        }

        return !reference.IsAlive;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WeakReference Weak(object o) => new(o);
}
