using System;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

/// <summary>Python's cancel(): true before the call starts, false once it runs (and then the token fires).</summary>
public class CancellationTests
{
    [Fact]
    public void CancelBeforeStartCancelsAndTheCallNeverRuns()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Future<int> blocker = executor.Submit(() => { started.Set(); release.Wait(Wait.Long); return 0; });
        Wait.For(started, "the blocker");
        int ran = 0;
        Future<int> queued = executor.Submit(() => Interlocked.Increment(ref ran));

        Assert.True(queued.Cancel());
        Assert.True(queued.Cancel()); // cancelling again still says cancelled
        Assert.Equal(FutureState.Cancelled, queued.State);
        Assert.True(queued.IsCancelled && queued.IsDone);
        Assert.Throws<OperationCanceledException>(() => queued.GetResult());
        Assert.Throws<OperationCanceledException>(() => queued.GetException());

        release.Set();
        blocker.GetResult(Wait.Long);
        executor.Shutdown();
        Assert.Equal(0, ran);
    }

    [Fact]
    public void CancelWhileRunningReturnsFalseAndSignalsTheToken()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        Future<int> f = executor.Submit(ct =>
        {
            started.Set();
            ct.WaitHandle.WaitOne(Wait.Long);
            ct.ThrowIfCancellationRequested();
            return 1;
        });
        Wait.For(started, "the call to start");
        Assert.False(f.Cancel());
        Wait.Done(f);
        Assert.Equal(FutureState.Cancelled, f.State); // the call honoured the token
    }

    [Fact]
    public void CancelBeforeTheCallAsksForItsTokenStillSignalsIt()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var call = new LazyTokenCall(executor, started, proceed);
        Wait.For(started, "the call");
        Assert.False(call.Cancel()); // running: not cancelled, but asked to stop
        proceed.Set();
        Assert.True(call.GetResult(Wait.Long)); // the token it reads now is already signalled
    }

    [Fact]
    public void RunningCallThatIgnoresItsTokenSucceeds()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var started = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        Future<int> f = executor.Submit(ct =>
        {
            started.Set();
            proceed.Wait(Wait.Long);
            return ct.IsCancellationRequested ? 1 : 0;
        });
        Wait.For(started, "the call");
        Assert.False(f.Cancel());
        proceed.Set();
        Assert.Equal(1, f.GetResult(Wait.Long));
        Assert.Equal(FutureState.Succeeded, f.State);
    }

    /// <summary>Reads its cancellation token only after the test lets it proceed.</summary>
    // Hand-built: a generated stub reads the token as the call starts, so it cannot ask for it first after Cancel.
    private sealed class LazyTokenCall : Internals.CallFuture<bool>
    {
        private readonly ManualResetEventSlim _started;
        private readonly ManualResetEventSlim _proceed;

        public LazyTokenCall(IExecutor executor, ManualResetEventSlim started, ManualResetEventSlim proceed)
            : base(executor)
        {
            _started = started;
            _proceed = proceed;
            Start();
        }

        protected override bool Invoke()
        {
            _started.Set();
            _proceed.Wait(Pipelines.Tests.Wait.Long);
            return CancellationToken.IsCancellationRequested;
        }
    }

    [Fact]
    public void CancelAfterDoneReturnsFalse()
    {
        using var executor = new ThreadPoolExecutor(1);
        Future<int> f = executor.Submit(() => 1);
        Wait.Done(f);
        Assert.False(f.Cancel());
        Assert.Equal(1, f.GetResult());
        Assert.False(Future.FromException<int>(new Exception()).Cancel());
        Assert.True(Future.FromCancelled<int>().Cancel());
    }

    [Fact]
    public void OperationCanceledExceptionFromUserCodeWithoutCancelIsAFault()
    {
        using var executor = new ThreadPoolExecutor(1);
        var oce = new OperationCanceledException("user's own");
        Future<int> f = executor.Submit(new Func<int>(() => throw oce));
        Wait.Done(f);
        Assert.Equal(FutureState.Faulted, f.State);
        Assert.Same(oce, f.GetException());
        Assert.Same(oce, Assert.Throws<OperationCanceledException>(() => f.GetResult()));
    }

    [Fact]
    public void ConcurrentCancelAndStartReachOneTerminalState()
    {
        using var executor = new ThreadPoolExecutor(2);
        for (int i = 0; i < 2000; i++)
        {
            int ran = 0;
            Future<int> f = executor.Submit(() => Interlocked.Increment(ref ran));
            bool cancelled = f.Cancel();
            Wait.Done(f);
            if (cancelled)
            {
                Assert.Equal(FutureState.Cancelled, f.State);
            }
            else
            {
                Assert.Equal(FutureState.Succeeded, f.State);
                Assert.Equal(1, ran);
            }
        }

        executor.Shutdown();
    }
}
