using System;
using System.IO;
using System.Net;

namespace Pipelines.Dashboard;

/// <summary>
/// How the dashboard is served. The defaults are safe: it answers only requests from this machine (loopback), only
/// reads (GET), and needs no token; serving it to other machines takes both <see cref="ListenAddress"/> (or, inside your
/// own app, a non-loopback binding of that app) and an <see cref="AccessToken"/>.
/// </summary>
public sealed class PipelinesDashboardOptions
{
    private int _updatesPerSecond = 4;
    private int _port;

    /// <summary>
    /// <see cref="PipelinesDashboard.StartAsync"/> only: the address to listen on. Default <see cref="IPAddress.Loopback"/>
    /// (127.0.0.1). Any other address (e.g. <see cref="IPAddress.Any"/>) needs an <see cref="AccessToken"/>.
    /// </summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary><see cref="PipelinesDashboard.StartAsync"/> only: the port to listen on; 0 (default) for a free one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 0 to 65535.</exception>
    public int Port
    {
        get => _port;
        set => _port = value is >= 0 and <= 65535 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Port must be 0 (a free port) to 65535.");
    }

    /// <summary>
    /// A secret every request must present (a <c>?token=</c> query the first time, which sets a cookie for the page; or an
    /// <c>Authorization: Bearer</c> header), at least 16 characters. Null (default): no token, and only requests from this
    /// machine are answered. Required to serve the dashboard to other machines.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>How many times a second an open page is sent an update (1 to 20; default 4).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 to 20.</exception>
    public int UpdatesPerSecond
    {
        get => _updatesPerSecond;
        set => _updatesPerSecond = value is >= 1 and <= 20 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "UpdatesPerSecond must be 1 to 20.");
    }

    /// <summary>The page's title (default <c>Pipelines</c>).</summary>
    public string Title { get; set; } = "Pipelines";

    /// <summary>
    /// <see cref="PipelinesDashboard.StartAsync"/> only: where the dashboard's URL is written when it starts (default
    /// <see cref="Console.Out"/>); null to write nothing.
    /// </summary>
    public TextWriter? UrlWriter { get; set; } = Console.Out;

    /// <summary>Shortest <see cref="AccessToken"/> accepted: a token is only as good as it is hard to guess.</summary>
    internal const int MinimumTokenLength = 16;

    /// <summary>Throws with what to fix when the options do not make sense together.</summary>
    internal void Validate(bool listens)
    {
        if (AccessToken is { } token && (token.Length < MinimumTokenLength || string.IsNullOrWhiteSpace(token)))
        {
            throw new ArgumentException($"The AccessToken must be at least {MinimumTokenLength} characters (e.g. Convert.ToHexString(RandomNumberGenerator.GetBytes(16))).", nameof(AccessToken));
        }

        if (listens && !IPAddress.IsLoopback(ListenAddress ?? throw new ArgumentNullException(nameof(ListenAddress))) && AccessToken is null)
        {
            throw new ArgumentException($"Listening on {ListenAddress} serves the dashboard to other machines: set an AccessToken too (or keep the default, loopback).", nameof(ListenAddress));
        }

        if (Title is null)
        {
            throw new ArgumentNullException(nameof(Title));
        }
    }
}
