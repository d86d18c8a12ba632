using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Pipelines.Dashboard.Tests;

/// <summary>The dashboard's server over real HTTP: what it serves, how it pushes, and whom it answers.</summary>
public sealed class EndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StartAsyncServesThePageItsFilesAndTheDataOnLoopbackAndPrintsItsUrl()
    {
        var printed = new StringWriter();
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = printed, Title = "My <job>" });
        Assert.Equal("127.0.0.1", dashboard.Url.Host);
        Assert.NotEqual(0, dashboard.Url.Port);
        Assert.Equal($"Pipelines dashboard: {dashboard.Url}{Environment.NewLine}", printed.ToString());

        using var client = new HttpClient { BaseAddress = dashboard.Url, Timeout = Timeout };
        using HttpResponseMessage page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>My &lt;job&gt;</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal); // nothing from elsewhere
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using HttpResponseMessage script = await client.GetAsync("/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard.js");
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal("text/css", (await client.GetAsync("/dashboard.css")).Content.Headers.ContentType!.MediaType);

        await using var inline = new InlineExecutor("endpoint-jobs");
        Assert.Equal("site/a.html", inline.SubmitWritePage("site/a.html", inline.SubmitRender(inline.SubmitParse(inline.SubmitFetch("a")))).GetResult());
        using JsonDocument snapshot = JsonDocument.Parse(await client.GetStringAsync("/api/snapshot"));
        JsonElement fetch = snapshot.RootElement.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("qualifiedName").GetString() == "SiteJobs.Fetch");
        Assert.Equal(1, fetch.GetProperty("succeeded").GetInt32());
        Assert.Contains(snapshot.RootElement.GetProperty("edges").EnumerateArray(), e => e.GetProperty("from").GetString() == "SiteJobs.Parse" && e.GetProperty("to").GetString() == "SiteJobs.Render");
        Assert.Contains(snapshot.RootElement.GetProperty("executors").EnumerateArray(), e => e.GetProperty("name").GetString() == "endpoint-jobs");

        using JsonDocument calls = JsonDocument.Parse(await client.GetStringAsync("/api/calls?method=SiteJobs.WritePage"));
        JsonElement call = calls.RootElement.GetProperty("calls").EnumerateArray().Single();
        Assert.Equal(("site/a.html", "Succeeded"), (call.GetProperty("label").GetString(), call.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/calls")).StatusCode);
    }

    [Fact]
    public async Task AnOpenPageIsPushedSnapshotsAFewTimesASecond()
    {
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = null, UpdatesPerSecond = 10 });
        using var client = new HttpClient { BaseAddress = dashboard.Url, Timeout = Timeout };
        using HttpResponseMessage response = await client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var cancel = new CancellationTokenSource(Timeout);
        int events = 0;
        while (events < 3)
        {
            string line = await reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using JsonDocument snapshot = JsonDocument.Parse(line["data: ".Length..]);
                Assert.True(snapshot.RootElement.TryGetProperty("taskStream", out _));
                events++;
            }
            else
            {
                Assert.True(line.Length == 0 || line == "event: snapshot", line);
            }
        }
    }

    [Fact]
    public async Task TheDashboardOnlyReads()
    {
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = null });
        using var client = new HttpClient { BaseAddress = dashboard.Url, Timeout = Timeout };
        foreach (string path in new[] { "/", "/events", "/api/snapshot", "/api/calls?method=x" })
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync(path, new StringContent("x"))).StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/secrets.json")).StatusCode);
    }

    [Fact]
    public async Task WithoutATokenItAnswersLocalhostOnlyAndTurnsAwayOtherHostNames()
    {
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = null });
        using var client = new HttpClient { Timeout = Timeout };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"http://localhost:{dashboard.Url.Port}/api/snapshot"))).StatusCode);

        // A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) arrives with that name as the host.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard.Url, "/api/snapshot"));
        rebound.Headers.Host = $"attacker.example:{dashboard.Url.Port}";
        using HttpResponseMessage refused = await client.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("AccessToken", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsideAnAppListeningOnEveryAddressRequestsFromOtherMachinesAreRefusedWithoutAToken()
    {
        IPAddress external = ExternalAddress();
        await using WebApplication app = WebApp(dashboard => dashboard.MapPipelinesDashboard("/pipelines"), out int port);
        await app.StartAsync();
        using var client = new HttpClient { Timeout = Timeout };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{port}/pipelines/api/snapshot")).StatusCode);
        using HttpResponseMessage fromOutside = await client.GetAsync($"http://{external}:{port}/pipelines/api/snapshot");
        Assert.Equal(HttpStatusCode.Forbidden, fromOutside.StatusCode);
        Assert.Contains("from this machine only", await fromOutside.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The page moves to /pipelines/ so its relative links resolve under the prefix.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Timeout };
        using HttpResponseMessage bare = await noRedirects.GetAsync($"http://127.0.0.1:{port}/pipelines");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/pipelines/", bare.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{port}/pipelines/dashboard.js")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task WithATokenItServesOtherMachinesThatPresentIt()
    {
        IPAddress external = ExternalAddress();
        const string token = "0123456789abcdef0123";
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { ListenAddress = IPAddress.Any, AccessToken = token, UrlWriter = null });
        Assert.Equal($"?token={token}", dashboard.Url.Query);
        string root = $"http://{external}:{dashboard.Url.Port}/";

        using var client = new HttpClient { Timeout = Timeout };
        using HttpResponseMessage anonymous = await client.GetAsync(root + "api/snapshot");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(root + "api/snapshot?token=wrong-token-of-twenty")).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, root + "api/snapshot");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);

        // The printed URL carries the token once; the cookie it sets carries the page's own requests.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { Timeout = Timeout };
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(root + "?token=" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(root + "dashboard.js")).StatusCode);
        Cookie cookie = cookies.GetCookies(new Uri(root)).Single();
        Assert.True(cookie.HttpOnly);
    }

    [Fact]
    public async Task OptionsThatWouldExposeTheDashboardOrMakeNoSenseAreRefused()
    {
        ArgumentException open = await Assert.ThrowsAsync<ArgumentException>(() => PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { ListenAddress = IPAddress.Any, UrlWriter = null }));
        Assert.Equal("ListenAddress", open.ParamName);
        Assert.Equal("AccessToken", (await Assert.ThrowsAsync<ArgumentException>(() => PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { AccessToken = "short", UrlWriter = null }))).ParamName);
        var options = new PipelinesDashboardOptions();
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => options.UpdatesPerSecond = 0).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => options.Port = 70_000).ParamName);
        Assert.Throws<ArgumentNullException>(() => PipelinesDashboardEndpointRouteBuilderExtensions.MapPipelinesDashboard(null!));
    }

    [Fact]
    public async Task DisposingTheDashboardStopsItsServerAndItsOpenStreams()
    {
        PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { UrlWriter = null });
        using var client = new HttpClient { BaseAddress = dashboard.Url, Timeout = Timeout };
        using HttpResponseMessage stream = await client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Stream events = await stream.Content.ReadAsStreamAsync();
        await dashboard.DisposeAsync().AsTask().WaitAsync(Timeout);
        await dashboard.DisposeAsync(); // once only

        // The stream ends (the server stopped it), and nothing answers any more.
        using var reader = new StreamReader(events);
        using var cancel = new CancellationTokenSource(Timeout);
        while (await reader.ReadLineAsync(cancel.Token) is not null)
        {
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/snapshot"));
    }

    private static WebApplication WebApp(Action<WebApplication> map, out int port)
    {
        port = FreePort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int listen = port;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, listen));
        WebApplication app = builder.Build();
        map(app);
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>This machine's address on its network (not loopback): a request to it arrives as from another machine.</summary>
    private static IPAddress ExternalAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("This machine has no network address besides loopback: the test needs one to send a request from 'another machine'.");
}
