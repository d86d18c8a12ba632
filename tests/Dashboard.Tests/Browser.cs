using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading.Tasks;
using PuppeteerSharp;
using Pipelines.Tests.Shared;

namespace Pipelines.Dashboard.Tests;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol by PuppeteerSharp: found on the machine or installed
/// with apt-get (<see cref="DebianPackages"/>); nothing downloads a browser. A fresh profile per launch; the flags keep it
/// from reaching for the network (this machine's is closed) and let it run as root.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly IBrowser _browser;
    private readonly string _profile;

    private Browser(IBrowser browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Console errors and uncaught exceptions of every page opened, as they happen.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static async Task<Browser> LaunchAsync()
    {
        string launcher = DebianPackages.Require("chromium", "chromium");
        // Debian's /usr/bin/chromium is a shell wrapper; the browser itself is beside its libraries.
        string executable = File.Exists("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : launcher;
        string profile = Path.Combine(Path.GetTempPath(), "pipelines-dashboard-chromium-" + Guid.NewGuid().ToString("N"));
        IBrowser browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            UserDataDir = profile,
            Timeout = (int)Timeout.TotalMilliseconds,
            ProtocolTimeout = (int)Timeout.TotalMilliseconds,
            DefaultViewport = new ViewPortOptions { Width = 1440, Height = 1200 },
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-default-browser-check",
            ],
        });
        return new Browser(browser, profile);
    }

    public async Task<IPage> OpenAsync(Uri url)
    {
        IPage page = await _browser.NewPageAsync();
        page.DefaultTimeout = (int)Timeout.TotalMilliseconds;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                Errors.Enqueue($"console: {e.Message.Text} ({e.Message.Location?.URL})");
            }
        };
        page.PageError += (_, e) => Errors.Enqueue($"page error: {e.Message}");
        IResponse response = await page.GoToAsync(url.ToString(), WaitUntilNavigation.Load);
        if (!response.Ok)
        {
            throw new InvalidOperationException($"{url} answered {response.Status}.");
        }

        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _browser.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A profile left in the temp folder is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
