using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// A faulted future whose exception nobody observed is reported through <see cref="Future.UnobservedException"/>
/// when it is collected, as TaskScheduler.UnobservedTaskException does for tasks; an observed one never is.
/// </summary>
public class UnobservedExceptionTests
{
    private sealed class Boom(string message) : Exception(message);

    [Fact]
    public void ADiscardedFaultedFutureIsReportedWhenCollected()
    {
        using var pool = new ThreadPoolExecutor(1);
        string tag = Guid.NewGuid().ToString();
        List<UnobservedFutureExceptionEventArgs> reports = Collect(tag, () => Discard(pool, tag));
        UnobservedFutureExceptionEventArgs report = Assert.Single(reports);
        Assert.IsType<Boom>(report.Exception);
        Assert.Contains("Faulted", report.Future);
    }

    public static TheoryData<string> Observers => new() { "GetResult", "GetException", "OnDone", "AsTask", "Await", "Dependent" };

    [Theory]
    [MemberData(nameof(Observers))]
    public void AnObservedFaultIsNeverReported(string observer)
    {
        using var pool = new ThreadPoolExecutor(1);
        string tag = Guid.NewGuid().ToString();
        Assert.Empty(Collect(tag, () => Observe(pool, tag, observer)));
    }

    [Fact]
    public void AFailureThatMovedOnToUnobservedDependentsIsReportedOnce()
    {
        using var pool = new ThreadPoolExecutor(1);
        string tag = Guid.NewGuid().ToString();
        Assert.Single(Collect(tag, () => FanOutFailure(pool, tag)));
    }

    [Fact]
    public void ARemoteFailureThatWasObservedIsNeverReported()
    {
        // A remote executor fails a running call: the failure is the call's own, observed here, so nothing is reported.
        string tag = Guid.NewGuid().ToString();
        Assert.Empty(Collect(tag, () => ObserveRemoteFailure(tag)));
    }

    [Fact]
    public void AnUnobservedRemoteFailureIsReportedOnce()
    {
        string tag = Guid.NewGuid().ToString();
        Assert.Single(Collect(tag, () => DiscardRemoteFailure(tag)));
    }

    [Fact]
    public void FromExceptionIsReportedLikeTaskFromException()
    {
        string tag = Guid.NewGuid().ToString();
        Assert.Single(Collect(tag, () => MakeFromException(tag)));
    }

    private static List<UnobservedFutureExceptionEventArgs> Collect(string tag, Action makeGarbage)
    {
        var reports = new ConcurrentBag<UnobservedFutureExceptionEventArgs>();
        void Handler(object? sender, UnobservedFutureExceptionEventArgs e)
        {
            if (e.Exception.Message == tag)
            {
                reports.Add(e);
            }
        }

        Future.UnobservedException += Handler;
        try
        {
            makeGarbage();
            for (int i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            Future.UnobservedException -= Handler;
        }

        return reports.ToList();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Discard(ThreadPoolExecutor pool, string tag)
    {
        Future<int> f = pool.Submit(new Func<int>(() => throw new Boom(tag)));
        Assert.True(f.Wait(Wait.Long)); // waiting does not observe the exception
        Assert.True(f.IsFaulted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Observe(ThreadPoolExecutor pool, string tag, string observer)
    {
        Future<int> f = pool.Submit(new Func<int>(() => throw new Boom(tag)));
        switch (observer)
        {
            case "GetResult":
                Assert.Throws<Boom>(() => f.GetResult(Wait.Long));
                break;
            case "GetException":
                Assert.IsType<Boom>(f.GetException(Wait.Long));
                break;
            case "OnDone":
                f.OnDone(_ => { });
                Assert.True(f.Wait(Wait.Long));
                break;
            case "AsTask":
                Assert.Throws<AggregateException>(() => f.AsTask().Wait(Wait.Long));
                break;
            case "Await":
                Assert.ThrowsAsync<Boom>(async () => await f).Wait(Wait.Long);
                break;
            default:
                Future<int> dependent = pool.SubmitIdentity(f);
                Assert.Throws<Boom>(() => dependent.GetResult(Wait.Long));
                break;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FanOutFailure(ThreadPoolExecutor pool, string tag)
    {
        var gate = new Promise<int>();
        Future<int> source = pool.SubmitFail(gate.Future, new Boom(tag));
        Future<int>[] dependents = Enumerable.Range(0, 3).Select(_ => pool.SubmitIdentity(source)).ToArray();
        gate.SetResult(0);
        Assert.All(dependents, d => Assert.True(d.Wait(Wait.Long)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ObserveRemoteFailure(string tag)
    {
        using var remote = new FailingRemoteExecutor(tag);
        Future<int> f = remote.Submit(() => 0);
        Assert.IsType<Boom>(f.GetException(Wait.Long));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DiscardRemoteFailure(string tag)
    {
        using var remote = new FailingRemoteExecutor(tag);
        Future<int> f = remote.Submit(() => 0);
        Assert.True(f.Wait(Wait.Long));
        Assert.True(f.IsFaulted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeFromException(string tag) => Future.FromException<int>(new Boom(tag));

    /// <summary>Claims each call and fails it as if it had thrown where it ran.</summary>
    private sealed class FailingRemoteExecutor(string message) : Remoting.RemoteExecutor("failing")
    {
        protected override void Dispatch(Remoting.IRemoteWorkItem item)
        {
            if (item.TryStart())
            {
                item.SetException(new Boom(message));
            }
        }
    }
}
