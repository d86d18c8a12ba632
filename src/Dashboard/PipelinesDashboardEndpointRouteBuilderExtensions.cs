using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pipelines.Dashboard;

/// <summary>Puts the Pipelines dashboard in an ASP.NET Core app.</summary>
public static class PipelinesDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the dashboard under <paramref name="pattern"/> (the page at <c>{pattern}/</c>): progress per method, the task
    /// stream, the grouped graph with drill-down, failures and executors of every pipeline in this process, live. Recording
    /// starts now and stops when the app stops. Read-only (GET only) and, unless an access token is set, answered only for
    /// requests from this machine, whatever addresses the app listens on.
    /// </summary>
    /// <param name="endpoints">The app (<c>WebApplication</c>) or another endpoint route builder.</param>
    /// <param name="pattern">The route prefix, default <c>/pipelines</c>.</param>
    /// <param name="configure">Sets <see cref="PipelinesDashboardOptions"/> (<see cref="PipelinesDashboardOptions.AccessToken"/>,
    /// <see cref="PipelinesDashboardOptions.UpdatesPerSecond"/>, <see cref="PipelinesDashboardOptions.Title"/>).</param>
    /// <returns>The route group, to add conventions such as <c>RequireAuthorization()</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentException">The options do not make sense (a token too short).</exception>
    /// <example>
    /// <code>
    /// var app = WebApplication.Create(args);
    /// app.MapPipelinesDashboard("/pipelines");   // http://localhost:5000/pipelines/
    /// app.Run();
    /// </code>
    /// </example>
    public static IEndpointConventionBuilder MapPipelinesDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/pipelines", Action<PipelinesDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var options = new PipelinesDashboardOptions();
        configure?.Invoke(options);
        options.Validate(listens: false);
        return Map(endpoints, pattern, options);
    }

    internal static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string pattern, PipelinesDashboardOptions options)
    {
        string prefix = "/" + pattern.Trim('/');
        var dashboard = new DashboardEndpoints(options, cookiePath: prefix);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(dashboard.Dispose);
        RouteGroupBuilder group = endpoints.MapGroup(prefix);
        dashboard.Map(group);
        return group;
    }
}
