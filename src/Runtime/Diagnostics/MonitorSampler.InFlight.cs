using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Pipelines.Remoting;

namespace Pipelines.Diagnostics;

// Calls that run on no thread of ours — async calls while they await, calls sent to a process pool or a cluster — are
// timed exactly from their records and drawn in rows of calls in flight per executor, a row taken at start, freed at the end.
internal sealed partial class MonitorSampler
{
    /// <summary>A watched call that runs on no thread of ours (async, or remote) started: give it a bar in a free row of its executor.</summary>
    public void OpenInFlight(CallRecord record)
    {
        lock (_gate)
        {
            if (record.Bar is not null || record.Slot is not { } slot)
            {
                return;
            }

            if (!_rows.TryGetValue(record.Executor, out bool[]? rows))
            {
                rows = new bool[MaxInFlightRows];
                _rows.Add(record.Executor, rows);
            }

            int row = Array.IndexOf(rows, false);
            row = row < 0 ? MaxInFlightRows - 1 : row; // beyond the rows, the last one takes the overlap
            rows[row] = true;
            string kind = record.Executor is RemoteExecutor ? "sent" : "awaiting";
            var bar = new MonitorBar(++_nextBarId, $"{record.Executor.Name} · {kind} {row + 1}", slot, record.StartedAt)
            {
                Row = row,
                Executor = record.Executor,
                Label = record.Label,
                IsRunning = true,
                Call = record.Call,
                End = Stopwatch.GetTimestamp(),
                Version = ++_version,
            };
            record.Bar = bar;
            _inFlight.Add(record);
            Append(bar);
        }
    }

    /// <summary>An in-flight call completed: its bar ends, its row is free, its duration counts exactly.</summary>
    public void CloseInFlight(CallRecord record, FutureState state)
    {
        lock (_gate)
        {
            if (record.Bar is not { IsRunning: true } bar || !_inFlight.Remove(record))
            {
                return;
            }

            bar.End = Math.Max(bar.Start, record.EndedAt);
            bar.IsRunning = false;
            bar.Calls = 1;
            bar.Faulted = state == FutureState.Faulted ? 1 : 0;
            bar.Call = null;
            bar.Version = ++_version;
            if (bar.Executor is { } executor && _rows.TryGetValue(executor, out bool[]? rows))
            {
                rows[bar.Row] = false;
            }

            int slot = bar.Slot.Index;
            Grow(ref _exactSeconds, slot);
            Grow(ref _exactCount, slot);
            _exactSeconds[slot] += Stopwatch.GetElapsedTime(bar.Start, bar.End).TotalSeconds;
            _exactCount[slot]++;
        }
    }
}
