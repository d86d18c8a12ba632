using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipelines.Dashboard;

/// <summary>
/// The dashboard on its own little web server, for a console app: one line,
/// <c>await using var dashboard = await PipelinesDashboard.StartAsync();</c>, serves it on 127.0.0.1 (a free port unless
/// one is given) and prints its URL; disposing it stops it. In an ASP.NET Core app, use
/// <see cref="PipelinesDashboardEndpointRouteBuilderExtensions.MapPipelinesDashboard"/> instead.
/// </summary>
public sealed class PipelinesDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private PipelinesDashboard(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The page's address (with <c>?token=…</c> when an access token is set).</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts recording and serves the dashboard; writes its URL to <see cref="PipelinesDashboardOptions.UrlWriter"/>
    /// (the console by default). The server neither logs nor takes Ctrl+C from the app.
    /// </summary>
    /// <param name="options">Where and how to serve it; default: 127.0.0.1, a free port, no token.</param>
    /// <param name="cancellationToken">Gives up starting.</param>
    /// <returns>The running dashboard; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">The options do not make sense: a non-loopback <see cref="PipelinesDashboardOptions.ListenAddress"/>
    /// without an <see cref="PipelinesDashboardOptions.AccessToken"/>, or a token too short.</exception>
    /// <exception cref="System.IO.IOException">The port is taken.</exception>
    public static async Task<PipelinesDashboard> StartAsync(PipelinesDashboardOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PipelinesDashboardOptions();
        options.Validate(listens: true);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PipelinesDashboard).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = Array.Empty<string>(),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>(); // Ctrl+C and SIGTERM stay the app's
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.ListenAddress, options.Port));
        WebApplication app = builder.Build();
        PipelinesDashboardEndpointRouteBuilderExtensions.Map(app, "/", options);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(new Uri(address.Replace("0.0.0.0", Dns.GetHostName(), StringComparison.Ordinal).Replace("[::]", Dns.GetHostName(), StringComparison.Ordinal)), options.AccessToken is { } token ? "/?token=" + Uri.EscapeDataString(token) : "/");
        options.UrlWriter?.WriteLine($"Pipelines dashboard: {url}");
        return new PipelinesDashboard(app, url);
    }

    /// <summary>Stops the server and the recording (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A host lifetime that hooks nothing: the dashboard lives inside someone else's process.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
