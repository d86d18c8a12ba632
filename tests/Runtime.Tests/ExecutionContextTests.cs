using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>ExecutionContext (AsyncLocal, Activity) flows from the submitter into the call.</summary>
public class ExecutionContextTests
{
    private static readonly AsyncLocal<string?> s_local = new();

    [Fact]
    public void AsyncLocalFlowsIntoSubmittedWork()
    {
        using var executor = new ThreadPoolExecutor(2);
        s_local.Value = "first";
        Future<string?> a = executor.Submit<string?>(() => s_local.Value);
        s_local.Value = "second";
        Future<string?> b = executor.Submit<string?>(() => s_local.Value);
        s_local.Value = null;
        Assert.Equal("first", a.GetResult(Wait.Long));
        Assert.Equal("second", b.GetResult(Wait.Long));
        // The worker does not keep the value after the call.
        Assert.Null(executor.Submit<string?>(() => s_local.Value).GetResult(Wait.Long));
    }

    [Fact]
    public void AsyncLocalFlowsIntoADependentCallFromItsSubmitter()
    {
        using var executor = new ThreadPoolExecutor(2);
        var argument = new Promise<int>();
        s_local.Value = "submitter";
        Future<string?> dependent = executor.SubmitReadLocal(s_local, argument.Future);
        s_local.Value = "someone else";
        // The argument completes on this thread, with another value: the call still sees its submitter's.
        argument.SetResult(1);
        s_local.Value = null;
        Assert.Equal("submitter", dependent.GetResult(Wait.Long));
    }

    [Fact]
    public void AsyncLocalFlowsIntoAsyncCallsAndOtherExecutors()
    {
        using var tasks = new TaskSchedulerExecutor();
        var inline = new InlineExecutor();
        s_local.Value = "v";
        Future<string?> asyncCall = tasks.Submit<string?>(async ct => { await Task.Yield(); return s_local.Value; });
        Future<string?> onTasks = tasks.Submit<string?>(() => s_local.Value);
        s_local.Value = null;
        Assert.Equal("v", asyncCall.GetResult(Wait.Long));
        Assert.Equal("v", onTasks.GetResult(Wait.Long));

        s_local.Value = "inline";
        Assert.Equal("inline", inline.Submit<string?>(() => s_local.Value).GetResult());
        s_local.Value = null;
    }

    [Fact]
    public void CurrentActivityFlows()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var activity = new Activity("parent").Start();
        Future<string?> id = executor.Submit<string?>(() => Activity.Current?.Id);
        activity.Stop();
        Assert.Equal(activity.Id, id.GetResult(Wait.Long));
    }

    [Fact]
    public void SuppressedFlowRunsWithoutTheContext()
    {
        using var executor = new ThreadPoolExecutor(1);
        s_local.Value = "hidden";
        Future<string?> f;
        using (ExecutionContext.SuppressFlow())
        {
            f = executor.Submit<string?>(() => s_local.Value);
        }

        s_local.Value = null;
        Assert.Null(f.GetResult(Wait.Long));
    }
}
