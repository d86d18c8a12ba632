using System;
using System.Collections.Generic;
using System.Text.Json;
using Pipelines.Diagnostics;

namespace Pipelines.Dashboard;

/// <summary>
/// What the page reads, as JSON written field by field (no reflection, so trimming and native AOT keep working): times are
/// milliseconds since the Unix epoch, durations seconds, names camelCase.
/// </summary>
internal static class DashboardJson
{
    public static void WriteSnapshot(Utf8JsonWriter json, PipelineMonitorSnapshot snapshot, string title)
    {
        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteNumber("time", Milliseconds(snapshot.Time));
        json.WriteNumber("elapsedSeconds", snapshot.Elapsed.TotalSeconds);
        json.WriteStartArray("methods");
        foreach (MonitoredMethod method in snapshot.Methods)
        {
            json.WriteStartObject();
            json.WriteString("name", method.Name);
            json.WriteString("qualifiedName", method.QualifiedName);
            json.WriteNumber("submitted", method.Submitted);
            json.WriteNumber("queued", method.Queued);
            json.WriteNumber("running", method.Running);
            json.WriteNumber("succeeded", method.Succeeded);
            json.WriteNumber("faulted", method.Faulted);
            json.WriteNumber("faultedWithoutRunning", method.FaultedWithoutRunning);
            json.WriteNumber("cancelled", method.Cancelled);
            json.WriteNumber("done", method.Done);
            json.WriteNumber("rate", Math.Round(method.CompletionsPerSecond, 2));
            Seconds(json, "etaSeconds", method.EstimatedRemaining);
            Seconds(json, "meanSeconds", method.MeanDuration);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("edges");
        foreach (MonitoredEdge edge in snapshot.Edges)
        {
            json.WriteStartObject();
            json.WriteString("from", edge.From);
            json.WriteString("to", edge.To);
            json.WriteNumber("count", edge.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("executors");
        foreach (MonitoredExecutor executor in snapshot.Executors)
        {
            json.WriteStartObject();
            json.WriteString("name", executor.Name);
            json.WriteString("kind", executor.Kind);
            Number(json, "maxWorkers", executor.MaxWorkers);
            Number(json, "workers", executor.Workers);
            Number(json, "idleWorkers", executor.IdleWorkers);
            Number(json, "queued", executor.Queued);
            json.WriteNumber("running", executor.Running);
            json.WriteNumber("unfinished", executor.Unfinished);
            json.WriteBoolean("isShutdown", executor.IsShutdown);
            json.WriteBoolean("isBroken", executor.IsBroken);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("failures");
        foreach (MonitoredFailure failure in snapshot.Failures)
        {
            json.WriteStartObject();
            json.WriteString("method", failure.Method);
            json.WriteString("label", failure.Label);
            json.WriteString("exceptionType", failure.ExceptionType);
            json.WriteString("message", failure.Message);
            json.WriteNumber("time", Milliseconds(failure.Time));
            json.WriteBoolean("threw", failure.Threw);
            json.WriteStartObject("tookDown");
            foreach (KeyValuePair<string, long> victims in failure.TookDown)
            {
                json.WriteNumber(victims.Key, victims.Value);
            }

            json.WriteEndObject();
            json.WriteStartArray("tookDownLabels");
            foreach (string label in failure.TookDownLabels)
            {
                json.WriteStringValue(label);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("taskStream");
        json.WriteNumber("version", snapshot.TaskStreamVersion);
        json.WriteStartArray("bars");
        foreach (TaskStreamBar bar in snapshot.TaskStream)
        {
            json.WriteStartObject();
            json.WriteNumber("id", bar.Id);
            json.WriteString("lane", bar.Lane);
            json.WriteString("method", bar.QualifiedMethod);
            json.WriteNumber("start", Milliseconds(bar.Start));
            json.WriteNumber("end", Milliseconds(bar.End));
            json.WriteNumber("calls", bar.Calls);
            json.WriteNumber("faulted", bar.Faulted);
            json.WriteBoolean("running", bar.IsRunning);
            json.WriteString("label", bar.Label);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteCalls(Utf8JsonWriter json, string method, IReadOnlyList<MonitoredCall> calls)
    {
        json.WriteStartObject();
        json.WriteString("method", method);
        json.WritePropertyName("calls");
        WriteCallList(json, calls);
        json.WriteEndObject();
    }

    private static void WriteCallList(Utf8JsonWriter json, IReadOnlyList<MonitoredCall> calls)
    {
        json.WriteStartArray();
        foreach (MonitoredCall call in calls)
        {
            json.WriteStartObject();
            json.WriteString("method", call.Method);
            json.WriteString("label", call.Label);
            json.WriteString("state", call.State.ToString());
            json.WriteString("executor", call.Executor);
            Seconds(json, "durationSeconds", call.Duration);
            Seconds(json, "ageSeconds", call.Age);
            json.WriteString("exceptionType", call.ExceptionType);
            json.WriteString("exceptionMessage", call.ExceptionMessage);
            json.WritePropertyName("waitingFor");
            WriteCallList(json, call.WaitingFor);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static double Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() + ((time.Ticks % TimeSpan.TicksPerMillisecond) / (double)TimeSpan.TicksPerMillisecond);

    private static void Seconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            json.WriteNumber(name, Math.Round(span.TotalSeconds, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
