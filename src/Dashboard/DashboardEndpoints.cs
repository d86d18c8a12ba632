using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Pipelines.Diagnostics;

namespace Pipelines.Dashboard;

/// <summary>
/// The dashboard's endpoints under one route group, all <c>GET</c> (any other method gets 405: the dashboard only reads):
/// the page and its files (script, style sheet, icon), <c>events</c> (server-sent events: a snapshot a few times a second, the task stream sent
/// as what changed since the last one), <c>api/snapshot</c>, and <c>api/calls?method=…</c> (a method's calls, for the
/// drill-down). Every request is checked by <see cref="DashboardAccess"/>. Owns the <see cref="PipelineMonitor"/>, which
/// records from when the dashboard is mapped until it is disposed.
/// </summary>
internal sealed class DashboardEndpoints : IDisposable
{
    private static readonly byte[] s_eventPrefix = "event: snapshot\ndata: "u8.ToArray();
    private static readonly byte[] s_eventSuffix = "\n\n"u8.ToArray();

    private readonly PipelinesDashboardOptions _options;
    private readonly DashboardAccess _access;
    private readonly PipelineMonitor _monitor = PipelineMonitor.Start();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public DashboardEndpoints(PipelinesDashboardOptions options, string cookiePath)
    {
        _options = options;
        _access = new DashboardAccess(options.AccessToken, cookiePath);
    }

    /// <summary>How many event streams are open now (pages connected).</summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    private int _openStreams;

    public void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/", Guarded(Page));
        group.MapGet("/dashboard.js", Guarded(context => Asset(context, "dashboard.js")));
        group.MapGet("/dashboard.css", Guarded(context => Asset(context, "dashboard.css")));
        group.MapGet("/favicon.svg", Guarded(context => Asset(context, "favicon.svg")));
        group.MapGet("/events", Guarded(Events));
        group.MapGet("/api/snapshot", Guarded(Snapshot));
        group.MapGet("/api/calls", Guarded(Calls));
    }

    /// <summary>Ends the open event streams and the recording (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _monitor.Dispose();
    }

    private RequestDelegate Guarded(RequestDelegate handler) => async context =>
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        (bool allowed, int status, string? reason) = _access.Check(context);
        if (!allowed)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(reason!, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await handler(context).ConfigureAwait(false);
    };

    private Task Page(HttpContext context)
    {
        // The page loads its files and streams by relative URLs: under /pipelines it must be /pipelines/.
        string path = context.Request.PathBase + context.Request.Path;
        if (!path.EndsWith('/'))
        {
            context.Response.Redirect(path + "/" + context.Request.QueryString, permanent: false);
            return Task.CompletedTask;
        }

        return Send(context, DashboardAssets.Page(_options.Title));
    }

    private static Task Asset(HttpContext context, string name) => Send(context, DashboardAssets.Find(name)!);

    private static Task Send(HttpContext context, DashboardAssets.Asset asset)
    {
        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    private async Task Events(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _options.UpdatesPerSecond));
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        long since = 0;
        Interlocked.Increment(ref _openStreams);
        try
        {
            do
            {
                // Each event carries the task stream's bars changed since the last one: the page keeps the rest.
                PipelineMonitorSnapshot snapshot = _monitor.Snapshot(since);
                since = snapshot.TaskStreamVersion;
                buffer.ResetWrittenCount();
                buffer.Write(s_eventPrefix);
                using (var json = new Utf8JsonWriter(buffer))
                {
                    DashboardJson.WriteSnapshot(json, snapshot, _options.Title);
                }

                buffer.Write(s_eventSuffix);
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page went away, or the dashboard stopped.
        }
        finally
        {
            Interlocked.Decrement(ref _openStreams);
        }
    }

    private Task Snapshot(HttpContext context) =>
        Json(context, json => DashboardJson.WriteSnapshot(json, _monitor.Snapshot(), _options.Title));

    private Task Calls(HttpContext context)
    {
        string method = context.Request.Query["method"].ToString();
        if (method.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("Name a method: api/calls?method=Parse", context.RequestAborted);
        }

        IReadOnlyList<MonitoredCall> calls = _monitor.Calls(method, limit: 200);
        return Json(context, json => DashboardJson.WriteCalls(json, method, calls));
    }

    private static async Task Json(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
