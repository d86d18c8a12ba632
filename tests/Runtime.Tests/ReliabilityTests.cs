using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// The runtime under load, faults and bad input: nothing lost, nothing hung, no crash.
/// </summary>
/// <remarks>
/// Sizes are bounded so the suite stays fast on 2 cores. Set the environment variable <c>PIPELINES_SOAK</c> to a
/// whole number N to multiply the load by N for a longer soak by hand, e.g. <c>PIPELINES_SOAK=10 dotnet test
/// tests/Runtime.Tests --filter FullyQualifiedName~ReliabilityTests</c>. The random seed is printed on failure and
/// can be fixed with <c>PIPELINES_SEED</c>.
/// </remarks>
public class ReliabilityTests
{
    private static readonly int s_soak = int.TryParse(Environment.GetEnvironmentVariable("PIPELINES_SOAK"), out int n) && n > 0 ? n : 1;

    /// <summary>Futures in the random-graph test (100k in CI; times PIPELINES_SOAK).</summary>
    private static readonly int s_graphSize = 100_000 * s_soak;

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("PIPELINES_SEED"), out int seed) ? seed : Environment.TickCount;

    private const int Modulus = 1_000_003;

    private sealed class Node
    {
        public Future<int> Future = null!;
        public int[] Inputs = Array.Empty<int>();
        public int LeafValue;
        public Exception? PlannedFault;
        public bool CancelReturnedTrue;
        public int CallbackRuns;
        public FutureState SeenByCallback = (FutureState)(-1);
    }

    [Fact]
    public void RandomGraphsWithFaultsAndCancelsReachExactlyOneTerminalStateEach()
    {
        int seed = Seed();
        var random = new Random(seed);
        using var pool = new ThreadPoolExecutor(4, "soak");
        var inline = new InlineExecutor("soak-inline");
        var nodes = new Node[s_graphSize];
        int callbacksRun = 0;
        const int batch = 2000;

        for (int start = 0; start < s_graphSize; start += batch)
        {
            // A gate holds part of each batch pending, so dependents register on futures that are not done yet and
            // cancels hit pending chains.
            var gate = new Promise<int>();
            int end = Math.Min(s_graphSize, start + batch);
            for (int i = start; i < end; i++)
            {
                var node = new Node();
                nodes[i] = node;
                IExecutor executor = random.Next(10) == 0 ? inline : pool;
                int kind = i < 2 ? 0 : random.Next(10);
                if (kind < 3)
                {
                    node.LeafValue = random.Next(1000);
                    int value = node.LeafValue;
                    if (random.Next(50) == 0)
                    {
                        node.PlannedFault = random.Next(3) switch
                        {
                            0 => new NullMessageException(),
                            1 => new AggregateException(new InvalidOperationException("inner")),
                            _ => new IOException($"fault {i}"),
                        };
                    }

                    Exception? fault = node.PlannedFault;
                    node.Future = kind == 0
                        ? executor.SubmitAddOrThrow(gate.Future, value, fault)
                        : executor.Submit(ct => fault is null ? value : throw fault);
                }
                else
                {
                    // Inputs mostly from the recent past: long chains as well as wide joins.
                    int a = i - 1 - random.Next(Math.Min(i, random.Next(2) == 0 ? 4 : 200));
                    int b = i - 1 - random.Next(Math.Min(i, 200));
                    node.Inputs = new[] { a, b };
                    node.Future = executor.SubmitAddModulo(nodes[a].Future, nodes[b].Future, Modulus);
                }

                Node captured = node;
                node.Future.OnDone(f =>
                {
                    Interlocked.Increment(ref captured.CallbackRuns);
                    captured.SeenByCallback = f.State;
                    Interlocked.Increment(ref callbacksRun);
                });

                if (random.Next(50) == 0)
                {
                    node.CancelReturnedTrue = node.Future.Cancel();
                }

                if (random.Next(500) == 0)
                {
                    // A short timed wait in the middle of everything: either outcome is fine, nothing may break.
                    try
                    {
                        node.Future.GetResult(TimeSpan.FromMilliseconds(random.Next(2)));
                    }
                    catch (Exception)
                    {
                    }
                }
            }

            gate.SetResult(0);
        }

        Assert.All(nodes, node => Assert.True(node.Future.Wait(Wait.Long), $"seed {seed}: a future never finished"));
        Wait.Until(() => Volatile.Read(ref callbacksRun) == nodes.Length, $"every callback ran (seed {seed})");

        for (int i = 0; i < nodes.Length; i++)
        {
            Node node = nodes[i];
            FutureState state = node.Future.State;
            string where = $"seed {seed}, node {i}";
            Assert.True(node.CallbackRuns == 1, $"{where}: callback ran {node.CallbackRuns} times");
            Assert.True(node.SeenByCallback == state, $"{where}: state changed after the callback saw it");

            if (node.CancelReturnedTrue)
            {
                Assert.True(state == FutureState.Cancelled, $"{where}: Cancel() said true but state is {state}");
                continue;
            }

            if (node.Inputs.Length == 0)
            {
                if (node.PlannedFault is not null)
                {
                    Assert.True(state is FutureState.Faulted or FutureState.Cancelled, $"{where}: {state}");
                    if (state == FutureState.Faulted)
                    {
                        Assert.Same(node.PlannedFault, node.Future.GetException());
                    }
                }
                else if (state != FutureState.Cancelled)
                {
                    Assert.True(state == FutureState.Succeeded, $"{where}: {state}");
                    Assert.Equal(node.LeafValue, node.Future.GetResult());
                }

                continue;
            }

            Node[] inputs = node.Inputs.Select(k => nodes[k]).ToArray();
            if (inputs.All(x => x.Future.State == FutureState.Succeeded))
            {
                // A cancel that returned false found it running (token ignored) or done: it must have succeeded.
                Assert.True(state == FutureState.Succeeded, $"{where}: inputs succeeded but it is {state}");
                Assert.Equal((inputs[0].Future.GetResult() + inputs[1].Future.GetResult()) % Modulus, node.Future.GetResult());
            }
            else if (state == FutureState.Faulted)
            {
                Exception? error = node.Future.GetException();
                Assert.Contains(inputs, x => x.Future.IsFaulted && ReferenceEquals(x.Future.GetException(), error));
            }
            else
            {
                Assert.True(state == FutureState.Cancelled, $"{where}: an input failed but it is {state}");
                Assert.Contains(inputs, x => x.Future.IsCancelled);
            }
        }

        Wait.Until(() => pool.IdleWorkerCount == pool.WorkerCount, "the pool returns to idle");
        pool.Shutdown();
        Assert.Equal(0, pool.WorkerCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALongPendingChainCancelledOrFaultedAtTheRootDoesNotOverflowTheStack(bool fault)
    {
        using var executor = new ThreadPoolExecutor(2);
        var gate = new Promise<int>();
        Future<int> root = executor.SubmitIdentity(gate.Future);
        Future<int> tail = root;
        int length = 100_000 * s_soak;
        for (int i = 0; i < length; i++)
        {
            tail = executor.SubmitAdd(tail, 1);
        }

        var error = new IOException("root failed");
        if (fault)
        {
            gate.SetException(error);
            Assert.Same(error, tail.GetException(Wait.Long));
        }
        else
        {
            Assert.True(root.Cancel());
            Wait.Done(tail);
            Assert.True(tail.IsCancelled);
            gate.SetResult(0);
        }
    }

    [Fact]
    public void ALongSuccessfulChainCompletes()
    {
        using var executor = new ThreadPoolExecutor(2);
        var gate = new Promise<int>();
        Future<int> tail = gate.Future;
        for (int i = 0; i < 20_000 * s_soak; i++)
        {
            tail = executor.SubmitAdd(tail, 1);
        }

        gate.SetResult(0);
        Assert.Equal(20_000 * s_soak, tail.GetResult(Wait.Long));
    }

    public enum ShutdownMode
    {
        Wait,
        NoWait,
        CancelFutures,
    }

    [Theory]
    [InlineData(ShutdownMode.Wait)]
    [InlineData(ShutdownMode.NoWait)]
    [InlineData(ShutdownMode.CancelFutures)]
    public void SubmittingWhileAnotherThreadShutsDownLosesNothing(ShutdownMode mode)
    {
        for (int round = 0; round < 5 * s_soak; round++)
        {
            var executor = new ThreadPoolExecutor(3, $"race-{mode}-{round}");
            var accepted = new ConcurrentBag<Future<int>>();
            int refused = 0;
            var finished = new RunCounter();
            int finishedWhenShutdownReturned = -1;
            using var barrier = new Barrier(4);
            var submitters = Enumerable.Range(0, 3).Select(t => new Thread(() =>
            {
                barrier.SignalAndWait(Wait.Long);
                Future<int>? previous = null;
                for (int i = 0; ; i++)
                {
                    try
                    {
                        Future<int> f = (i % 3) switch
                        {
                            0 => executor.Submit(() => { finished.Increment(); return 1; }),
                            1 => executor.Submit(ct => { finished.Increment(); return 1; }),
                            _ => executor.SubmitCountRun(finished, previous ?? Future.FromResult(0)),
                        };
                        accepted.Add(f);
                        previous = f;
                    }
                    catch (ExecutorShutdownException ex)
                    {
                        Assert.Contains(executor.Name, ex.Message);
                        Interlocked.Increment(ref refused);
                        return;
                    }
                }
            })).ToList();
            submitters.ForEach(t => t.Start());
            var shutter = new Thread(() =>
            {
                barrier.SignalAndWait(Wait.Long);
                SpinWait.SpinUntil(() => accepted.Count >= 300, Wait.Long);
                switch (mode)
                {
                    case ShutdownMode.Wait:
                        executor.Shutdown(wait: true);
                        finishedWhenShutdownReturned = finished.Count;
                        break;
                    case ShutdownMode.NoWait:
                        executor.Shutdown(wait: false);
                        break;
                    default:
                        executor.Shutdown(wait: true, cancelFutures: true);
                        break;
                }
            });
            shutter.Start();
            Assert.True(shutter.Join(Wait.Long), "Shutdown hung");
            submitters.ForEach(t => Assert.True(t.Join(Wait.Long), "a submitter hung"));
            Assert.Equal(3, refused);

            foreach (Future<int> f in accepted)
            {
                Assert.True(f.Wait(Wait.Long), "an accepted future never finished");
                if (mode == ShutdownMode.CancelFutures)
                {
                    Assert.True(f.State is FutureState.Succeeded or FutureState.Cancelled, f.State.ToString());
                }
                else
                {
                    Assert.Equal(1, f.GetResult());
                }
            }

            if (mode == ShutdownMode.Wait)
            {
                Assert.Equal(accepted.Count, finishedWhenShutdownReturned); // Shutdown(wait) returned after all of it
            }

            Wait.Until(() => executor.WorkerCount == 0, "the workers exit");
            executor.Shutdown();
        }
    }

    [Fact]
    public void UserExceptionsOfEveryShapeAreKeptAsTheyAre()
    {
        using var executor = new ThreadPoolExecutor(2);
        var aggregate = new AggregateException(new InvalidOperationException("a"), new IOException("b"));
        var nullMessage = new NullMessageException();
        var cancelled = new OperationCanceledException(new CancellationToken(true));
        var taskCancelled = new TaskCanceledException();

        Assert.Same(aggregate, Assert.Throws<AggregateException>(() => executor.Submit(new Func<int>(() => throw aggregate)).GetResult(Wait.Long)));
        Assert.Same(nullMessage, Assert.Throws<NullMessageException>(() => executor.Submit(new Func<int>(() => throw nullMessage)).GetResult(Wait.Long)));

        // OperationCanceledException from user code, no cancel requested: a fault carrying that exception.
        Future<int> oce = executor.Submit(new Func<int>(() => throw cancelled));
        Assert.Same(cancelled, oce.GetException(Wait.Long));
        Assert.True(oce.IsFaulted);
        Future<int> asyncOce = executor.Submit<int>(async ct => { await Task.Yield(); throw taskCancelled; });
        Assert.True(asyncOce.Wait(Wait.Long));
        Assert.True(asyncOce.IsFaulted || asyncOce.IsCancelled);

        // Downstream of each, the same instance.
        Future<int> dependent = executor.SubmitIdentity(executor.Submit(new Func<int>(() => throw nullMessage)));
        Assert.Same(nullMessage, dependent.GetException(Wait.Long));
    }

    [Fact]
    public void ReentrantSubmitsFromCallbacksRunToTheEnd()
    {
        using var executor = new ThreadPoolExecutor(2);
        const int depth = 2000;
        var last = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Next(Future<int> f)
        {
            int n = f.GetResult();
            if (n == depth)
            {
                last.SetResult(n);
                return;
            }

            executor.Submit(() => n + 1).OnDone(Next);
        }

        executor.Submit(() => 0).OnDone(Next);
        Assert.True(last.Task.Wait(Wait.Long));
        Assert.Equal(depth, last.Task.Result);

        // Re-entrant submits from callbacks of futures completed inline and of done futures.
        var inline = new InlineExecutor();
        int count = 0;
        void Again(Future<int> f)
        {
            if (Interlocked.Increment(ref count) < depth)
            {
                inline.Submit(() => 1).OnDone(Again);
            }
        }

        Future.FromResult(0).OnDone(Again);
        Assert.Equal(depth, count);
    }

    [Fact]
    public void ACompletedPipelinesFuturesAreCollectable()
    {
        using var executor = new ThreadPoolExecutor(2);
        (List<WeakReference> refs, Future<int> tail) = BuildPipeline(executor);
        Assert.Equal(2 * 100 + 1, tail.GetResult(Wait.Long) / 50);
        // Everything upstream of the tail is referenced by nothing now.
        Assert.True(Gc.IsCollected(refs[0]), "the pipeline's first future is still referenced");
        Assert.All(refs, r => Assert.True(Gc.IsCollected(r), "a finished pipeline future is still referenced"));
        GC.KeepAlive(tail);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<WeakReference>, Future<int>) BuildPipeline(IExecutor executor)
    {
        var refs = new List<WeakReference>();
        var layer = Enumerable.Range(0, 100).Select(i => executor.Submit(() => 2)).ToList();
        refs.AddRange(layer.Select(f => new WeakReference(f)));
        List<Future<int>> next = layer.Select(f => executor.SubmitMultiplyAdd(f, 100, 1)).ToList();
        refs.AddRange(next.Select(f => new WeakReference(f)));
        Future<int> tail = next[0];
        for (int i = 1; i < next.Count; i++)
        {
            tail = executor.SubmitAdd(tail, next[i]);
            refs.Add(new WeakReference(tail));
        }

        refs.RemoveAt(refs.Count - 1); // the tail itself stays alive: the test holds it
        tail = executor.SubmitDivide(tail, 2);
        refs.Add(new WeakReference(tail));
        refs.RemoveAt(refs.Count - 1);
        return (refs, tail);
    }

    [Fact]
    public void MapHoldsNothingItYielded()
    {
        using var executor = new ThreadPoolExecutor(2);
        IEnumerator<Box> e = executor.Map(i => new Box(i), Enumerable.Range(0, 10), bufferSize: 2).GetEnumerator();
        WeakReference first = Step(e);
        Step(e);
        Assert.True(Gc.IsCollected(first), "Map still references a result it yielded");
        e.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Step(IEnumerator<Box> e)
    {
        Assert.True(e.MoveNext());
        return new WeakReference(e.Current);
    }

    private sealed class Box(int value)
    {
        public int Value { get; } = value;
    }

    [Fact]
    public void DisposedExecutorsLeaveNoThreads()
    {
        for (int i = 0; i < 5; i++)
        {
            var executor = new ThreadPoolExecutor(4);
            using var barrier = new Barrier(4);
            var futures = Enumerable.Range(0, 4).Select(_ => executor.Submit(() => barrier.SignalAndWait(Wait.Long))).ToList();
            futures.AddRange(Enumerable.Range(0, 100).Select(_ => executor.Submit(() => true)));
            executor.Dispose();
            Assert.All(futures, f => Assert.True(f.IsDone));
            Assert.Equal(0, executor.WorkerCount);
            Assert.Equal(0, executor.IdleWorkerCount);
        }
    }

    /// <summary>An exception whose message is null (user code does such things).</summary>
    public sealed class NullMessageException : Exception
    {
        public override string Message => null!;
    }
}
