using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

// Process-wide state (Future's static events, telemetry listeners): one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Pipelines.Hosting.Tests;

internal static class Wait
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    public static void For(ManualResetEventSlim e, string what) => Assert.True(e.Wait(Long), $"Timed out waiting for {what}.");

    public static void Until(Func<bool> condition, string what) => Assert.True(SpinWait.SpinUntil(condition, Long), $"Timed out waiting until {what}.");
}

/// <summary>A host with only what a test gives it: in-memory configuration, a recording logger, Pipelines.</summary>
internal static class TestHost
{
    public static HostApplicationBuilder Builder(Dictionary<string, string?>? configuration = null, LogRecorder? logs = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        return builder;
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Records every log entry.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public IReadOnlyList<LogEntry> WithEventId(int id) => Entries.Where(e => e.EventId.Id == id && e.Category == "Pipelines").ToList();

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
