using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Pipelines.Dashboard;

/// <summary>
/// Who may read the dashboard. Without an access token: requests from this machine only — a loopback remote address
/// (or none, as an in-process or Unix-socket connection has) and a loopback host name, which also turns away a page
/// elsewhere that rebinds its own DNS name to 127.0.0.1 to read this one. With a token: whoever presents it, as a
/// <c>?token=</c> query (which sets a cookie for the page's own requests), an <c>Authorization: Bearer</c> header or that
/// cookie; compared in constant time.
/// </summary>
internal sealed class DashboardAccess(string? token, string cookiePath)
{
    public const string CookieName = "pipelines-dashboard-token";

    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    /// <summary>True if the request may be answered; otherwise the reason, for a 403 or 401.</summary>
    public (bool Allowed, int Status, string? Reason) Check(HttpContext context)
    {
        if (_token is null)
        {
            if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                return (false, StatusCodes.Status403Forbidden, "The Pipelines dashboard answers requests from this machine only. To serve it to others, set PipelinesDashboardOptions.AccessToken.");
            }

            if (!IsLoopbackHost(context.Request.Host.Host))
            {
                return (false, StatusCodes.Status403Forbidden, $"The Pipelines dashboard answers requests for localhost only, not for '{context.Request.Host.Host}'. To serve it under another name, set PipelinesDashboardOptions.AccessToken.");
            }

            return (true, 0, null);
        }

        if (context.Request.Query.TryGetValue("token", out StringValues query) && Matches(query.ToString()))
        {
            context.Response.Cookies.Append(CookieName, query.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = cookiePath,
            });
            return (true, 0, null);
        }

        string authorization = context.Request.Headers.Authorization.ToString();
        if ((authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(authorization["Bearer ".Length..].Trim()))
            || (context.Request.Cookies.TryGetValue(CookieName, out string? cookie) && Matches(cookie)))
        {
            return (true, 0, null);
        }

        return (false, StatusCodes.Status401Unauthorized, "The Pipelines dashboard needs its access token: open the URL it printed (with ?token=…), or send Authorization: Bearer <token>.");
    }

    private bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
}
