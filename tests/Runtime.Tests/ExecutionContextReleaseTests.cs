using System;
using Xunit;

namespace Pipelines.Tests;

/// <summary>A finished call must not keep the submitter's AsyncLocal values alive.</summary>
public class ExecutionContextReleaseTests
{
    private static readonly System.Threading.AsyncLocal<object?> s_local = new();

    [Fact]
    public void ACompletedCallDropsItsCapturedContext()
    {
        using var executor = new InlineExecutor();
        (Future<int> future, WeakReference captured) = SubmitWithLocal(executor);
        Assert.Equal(1, future.GetResult(TimeSpan.FromSeconds(30)));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(captured.IsAlive, "the completed future still roots the AsyncLocal value it captured");
        GC.KeepAlive(future);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Future<int>, WeakReference) SubmitWithLocal(IExecutor executor)
    {
        // Run in a child context so the test thread's own context does not hold the value either.
        (Future<int>, WeakReference) result = default;
        System.Threading.ExecutionContext.Run(System.Threading.ExecutionContext.Capture()!, _ =>
        {
            var value = new object();
            s_local.Value = value;
            result = (executor.Submit(() => 1), new WeakReference(value));
            s_local.Value = null;
        }, null);
        return result;
    }
}
