using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pipelines.Internals;

namespace Pipelines.Diagnostics;

/// <summary>
/// A monitor session's sampler: a background thread that, about 50 times a second, looks at what every thread that
/// counts calls is running (its <see cref="ExecutionFrames"/>) and how many calls it finished since the last look (its
/// <see cref="CallLane"/>), and from that draws the task stream, counts the running calls and estimates how long calls
/// run. Nothing is written per call for it.
/// </summary>
/// <remarks>
/// <para><b>The task stream.</b> A call seen running at two looks in a row gets a bar of its own, from half an interval
/// before the first look to when it is no longer seen; calls too short for that are coalesced into one bar per thread and
/// interval (extended while the same method dominates, up to a second), which says how many finished and how many threw.
/// At a minute across a page of about a thousand pixels a pixel is 60 ms, three intervals: sampling loses nothing the
/// page could draw. Async calls and calls sent to other processes run on no thread here: they are timed exactly from
/// their records and drawn in rows of calls in flight per executor (<see cref="OpenInFlight"/>).</para>
/// <para><b>Durations.</b> Each look adds the interval to the method of each thread's innermost running call; divided by
/// the calls that ran, that is the mean duration of a sampling profiler: unbiased, and exact enough after a few hundred
/// looks. In-flight calls add their exact durations.</para>
/// <para>All of it is guarded by one lock, held for a look, a snapshot, or a call going in or out of flight.</para>
/// </remarks>
internal sealed partial class MonitorSampler
{
    public const int IntervalMilliseconds = 20;

    private static readonly long s_second = Stopwatch.Frequency;
    private static readonly long s_window = 60 * Stopwatch.Frequency;
    private const int MaxBars = 20_000;
    private const int MaxInFlightRows = 64;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _startedWall = DateTimeOffset.UtcNow;
    private readonly long[] _baselineCounts;
    private readonly long[] _baselineEdges;
    private readonly Dictionary<ExecutionFrames, LaneState> _lanes = new();
    private readonly Dictionary<Type, CallType> _types = new();
    private readonly LinkedList<MonitorBar> _bars = new();
    private readonly HashSet<CallRecord> _inFlight = new();
    private readonly Dictionary<Executor, bool[]> _rows = new();
    private readonly Queue<(long At, long[] Done)> _history = new();
    private readonly Future?[] _frames = new Future?[64];
    private readonly List<Future> _runningCalls = new();
    private long _lastTick;
    private long _version;
    private long _nextBarId;
    private long _lastHistory;
    private long _lastRetire;
    private int[] _running = [];
    private Dictionary<Executor, int> _runningByExecutor = new();
    private double[] _busySeconds = new double[16];
    private double[] _exactSeconds = new double[16];
    private long[] _exactCount = new long[16];

    public MonitorSampler()
    {
        _lastTick = _startedAt;
        _lastHistory = _startedAt;
        _lastRetire = _startedAt;
        (_baselineCounts, _baselineEdges) = LaneTotals.Read();
        _thread = new Thread(Run) { IsBackground = true, Name = "Pipelines monitor" };
    }

    public void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _thread.Start();
        }
    }

    public void Stop()
    {
        _stop.Set();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        while (!_stop.Wait(IntervalMilliseconds))
        {
            try
            {
                Tick(Stopwatch.GetTimestamp());
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A look must never take the process down; the next one starts afresh from the lanes.
                Debug.Fail($"The monitor's sampler failed: {exception}");
            }
        }

        lock (_gate)
        {
            _runningCalls.Clear(); // let the calls go
            foreach (LaneState state in _lanes.Values)
            {
                state.Forget();
            }
        }
    }

    /// <summary>One look at every lane (see the class remarks).</summary>
    internal void Tick(long now)
    {
        lock (_gate)
        {
            long half = (now - _lastTick) / 2;
            var running = new int[MethodSlots.All.Length];
            var byExecutor = new Dictionary<Executor, int>();
            _runningCalls.Clear();
            foreach (ExecutionFrames frames in ExecutionFrames.All())
            {
                if (!_lanes.TryGetValue(frames, out LaneState? state))
                {
                    state = new LaneState(frames, _startedAt);
                    _lanes.Add(frames, state);
                }

                state.LastSeen = now;
                Future? top = LookAt(frames, running, byExecutor, now - _lastTick);
                Draw(state, top, now, half);
            }

            foreach (CallRecord record in _inFlight)
            {
                if (record.Bar is { } bar)
                {
                    bar.End = now;
                    bar.Version = ++_version;
                    if (bar.Slot.Index < running.Length)
                    {
                        running[bar.Slot.Index]++;
                    }

                    byExecutor[record.Executor] = byExecutor.GetValueOrDefault(record.Executor) + 1;
                }
            }

            _running = running;
            _runningByExecutor = byExecutor;
            _lastTick = now;
            Housekeep(now);
        }
    }

    /// <summary>Reads a lane's frames: counts its running calls, adds the interval to its innermost one's method, returns that call.</summary>
    private Future? LookAt(ExecutionFrames frames, int[] running, Dictionary<Executor, int> byExecutor, long interval)
    {
        int count = frames.CopyTo(_frames);
        Future? top = null;
        for (int i = 0; i < count; i++)
        {
            Future? frame = _frames[i];
            _frames[i] = null;
            if (frame is null || frame.State != FutureState.Running || SlotOf(frame) is not { } slot)
            {
                continue; // a completion's frame (its continuations run), or a gathering
            }

            if (slot.Index < running.Length)
            {
                running[slot.Index]++;
            }

            if (frame.OwnerExecutor is { } executor)
            {
                byExecutor[executor] = byExecutor.GetValueOrDefault(executor) + 1;
            }

            top = frame;
            _runningCalls.Add(frame);
        }

        if (top is not null && SlotOf(top) is { } topSlot)
        {
            Grow(ref _busySeconds, topSlot.Index);
            _busySeconds[topSlot.Index] += (double)interval / s_second;
        }

        return top;
    }

    /// <summary>The task stream of one lane: a bar of its own for a call seen at two looks in a row, coalesced bars for the rest.</summary>
    private void Draw(LaneState state, Future? top, long now, long half)
    {
        (long[] ran, long[] threw, long total) = state.TakeFinished();
        if (top is not null && top == state.Candidate)
        {
            if (state.Open is not { } open)
            {
                open = new MonitorBar(++_nextBarId, state.Name, SlotOf(top)!, state.CandidateSince - half)
                {
                    Call = top,
                    IsRunning = true,
                    Label = top.RenderLabel(), // running: its arguments are there
                };
                state.Open = open;
                Append(open);
            }

            open.End = now;
            open.Version = ++_version;
            return;
        }

        if (state.Open is { } closing)
        {
            closing.End = _lastTick + half;
            closing.IsRunning = false;
            closing.Calls = 1;
            bool faulted = closing.Call?.State == FutureState.Faulted;
            closing.Faulted = faulted ? 1 : 0;
            closing.Call = null;
            closing.Version = ++_version;
            int own = closing.Slot.Index;
            if (own < ran.Length && ran[own] > 0)
            {
                ran[own]--;
                total--;
                if (faulted && threw[own] > 0)
                {
                    threw[own]--;
                }
            }

            state.Open = null;
        }

        if (total > 0)
        {
            int dominant = 0;
            long faults = 0;
            for (int slot = 0; slot < ran.Length; slot++)
            {
                faults += threw[slot];
                if (ran[slot] > ran[dominant])
                {
                    dominant = slot;
                }
            }

            MethodSlot method = MethodSlots.All[dominant];
            if (state.Coalesced is { } last && last.End == _lastTick && last.Slot == method && now - last.Start < s_second)
            {
                last.End = now;
                last.Calls += total;
                last.Faulted += faults;
                last.Version = ++_version;
            }
            else
            {
                var bar = new MonitorBar(++_nextBarId, state.Name, method, _lastTick) { End = now, Calls = total, Faulted = faults, Version = ++_version };
                state.Coalesced = bar;
                Append(bar);
            }
        }

        state.Candidate = top;
        state.CandidateSince = now;
    }

    private void Housekeep(long now)
    {
        while (_bars.First is { } first && ((!first.Value.IsRunning && first.Value.End < now - s_window) || _bars.Count > MaxBars))
        {
            _bars.RemoveFirst();
        }

        if (now - _lastHistory >= s_second / 4)
        {
            _lastHistory = now;
            _history.Enqueue((now, DoneBySlot(LaneTotals.Read().Counts)));
            while (_history.Count > 0 && now - _history.Peek().At > 10 * s_second)
            {
                _history.Dequeue();
            }
        }

        if (now - _lastRetire >= s_second)
        {
            _lastRetire = now;
            LaneTotals.RetireEnded();
            foreach ((ExecutionFrames frames, LaneState state) in _lanes.ToArray())
            {
                if (state.LastSeen != now)
                {
                    _lanes.Remove(frames); // its thread has ended
                    state.Forget();
                }
            }
        }
    }

    private void Append(MonitorBar bar) => _bars.AddLast(bar);

    private MethodSlot? SlotOf(Future future)
    {
        Type type = future.GetType();
        if (!_types.TryGetValue(type, out CallType? callType))
        {
            callType = MethodSlots.TypeOf(type);
            _types.Add(type, callType);
        }

        if (callType.IsGather)
        {
            return null;
        }

        return callType.Slot ?? (future is IDelegateCall { Function: { } function } ? MethodSlots.OfDelegate(function) : null);
    }

    private static void Grow<T>(ref T[] array, int index)
    {
        if (index >= array.Length)
        {
            Array.Resize(ref array, Math.Max(array.Length * 2, index + 1));
        }
    }

    /// <summary>Done calls per slot from counters laid out as <see cref="CallLane"/>'s.</summary>
    private static long[] DoneBySlot(long[] counts)
    {
        var done = new long[counts.Length / CallLane.Stride];
        for (int slot = 0; slot < done.Length; slot++)
        {
            int at = slot * CallLane.Stride;
            done[slot] = counts[at + CallLane.Succeeded] + counts[at + CallLane.FaultedRan] + counts[at + CallLane.FaultedNotRun]
                + counts[at + CallLane.CancelledRan] + counts[at + CallLane.CancelledNotRun];
        }

        return done;
    }

}
