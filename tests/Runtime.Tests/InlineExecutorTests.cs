using System;
using System.Threading;
using System.Runtime.CompilerServices;
using Xunit;

namespace Pipelines.Tests;

/// <summary>The inline executor: deterministic, runs on the submitting (or completing) thread.</summary>
public class InlineExecutorTests
{
    [Fact]
    public void RunsSynchronouslyOnTheSubmittingThread()
    {
        using var executor = new InlineExecutor();
        int thread = -1;
        Future<int> f = executor.Submit(() => { thread = Environment.CurrentManagedThreadId; return 3; });
        Assert.True(f.IsDone);
        Assert.Equal(3, f.GetResult());
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.True(executor.Submit(new Func<int>(() => throw new InvalidOperationException())).IsFaulted);
        Assert.True(executor.Submit(() => { }).IsDone);
        Assert.Equal("InlineExecutor", executor.Name);
    }

    [Fact]
    public void ADependentRunsOnTheThreadThatCompletesItsLastArgument()
    {
        using var executor = new InlineExecutor("inline");
        var argument = new Promise<int>();
        var thread = new StrongBox<int>(-1);
        Future<int> dependent = executor.SubmitAddOnRecordedThread(thread, argument.Future, 1);
        Assert.False(dependent.IsDone);
        var completer = new Thread(() => argument.SetResult(1));
        completer.Start();
        Assert.True(completer.Join(Wait.Long));
        Assert.Equal(2, dependent.GetResult());
        Assert.Equal(completer.ManagedThreadId, thread.Value);
    }

    [Fact]
    public void ShutdownAndSubmitAfterShutdown()
    {
        var executor = new InlineExecutor("mine");
        var argument = new Promise<int>();
        Future<int> dependent = executor.SubmitIdentity(argument.Future);
        executor.Shutdown(wait: false);
        Assert.Contains("mine", Assert.Throws<ExecutorShutdownException>(() => executor.Submit(() => 1)).Message);
        argument.SetResult(5);
        Assert.Equal(5, dependent.GetResult());
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void ShutdownWithWaitFromInsideACallReturns()
    {
        var executor = new InlineExecutor();
        Future<int> f = executor.Submit(() => { executor.Shutdown(wait: true); return 1; });
        Assert.Equal(1, f.GetResult());
        Assert.True(executor.IsShutdown);
        executor.Shutdown();
    }

    [Fact]
    public void CancelFuturesCancelsADependentWaitingForArguments()
    {
        var executor = new InlineExecutor();
        var argument = new Promise<int>();
        var runs = new RunCounter();
        Future<int> dependent = executor.SubmitCountRun(runs, argument.Future);
        executor.Shutdown(wait: false, cancelFutures: true);
        argument.SetResult(1);
        Assert.True(dependent.IsCancelled);
        Assert.Equal(0, runs.Count);
    }

    [Fact]
    public void ALongInlineChainDoesNotOverflowTheStack()
    {
        // Each link runs when the previous completes, on the completing thread: without care that is one nested
        // call per link. 100k links would overflow a stack.
        using var executor = new InlineExecutor();
        var root = new Promise<int>();
        Future<int> tail = root.Future;
        for (int i = 0; i < 100_000; i++)
        {
            tail = executor.SubmitAdd(tail, 1);
        }

        root.SetResult(0);
        Assert.Equal(100_000, tail.GetResult(Wait.Long));
    }
}
