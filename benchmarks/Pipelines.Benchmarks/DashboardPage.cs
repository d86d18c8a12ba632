using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Dashboard;

namespace Pipelines.Benchmarks;

/// <summary>
/// The dashboard started and a page connected, for <see cref="DashboardOverhead"/>: <see cref="PipelinesDashboard.StartAsync"/>
/// on loopback, and a client reading its event stream as a browser's page does, so the server takes, serializes and sends
/// a snapshot four times a second. (The browser's own drawing is not counted: it is usually on another machine.)
/// </summary>
internal sealed class DashboardPage : IDisposable
{
    private readonly PipelinesDashboard _dashboard;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private int _events;

    private DashboardPage(PipelinesDashboard dashboard)
    {
        _dashboard = dashboard;
        _client = new HttpClient { BaseAddress = dashboard.Url, Timeout = Timeout.InfiniteTimeSpan };
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reading = Task.Run(() => Read(first));
        if (!first.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The dashboard sent no event in 30 s.");
        }
    }

    /// <summary>How many snapshots the page received.</summary>
    public int Events => Volatile.Read(ref _events);

    public static IDisposable Open() => new DashboardPage(PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = null }).GetAwaiter().GetResult());

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reading.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // The read was cancelled.
        }

        _client.Dispose();
        _dashboard.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task Read(TaskCompletionSource first)
    {
        using HttpResponseMessage response = await _client.GetAsync("events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _events);
                first.TrySetResult();
            }
        }
    }
}
