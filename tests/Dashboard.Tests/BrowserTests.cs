using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using PuppeteerSharp;
using Xunit;

namespace Pipelines.Dashboard.Tests;

/// <summary>
/// The page in a real browser while a pipeline of 1,001 calls runs: live numbers that end equal to Futures.Progress,
/// bars in the task stream, the stages in the graph with their counts, a failure with its exception, what a stuck call
/// waits for, and no script error. Every wait is for a condition on the page, with a generous timeout.
/// </summary>
public sealed class BrowserTests
{
    private static readonly TimeSpan Timeout = Browser.Timeout;

    [Fact]
    public async Task ThePageFollowsAThousandCallPipelineLiveAndEndsWithItsProgress()
    {
        await using PipelinesDashboard dashboard = await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { Title = "Site build", UrlWriter = null });
        await using var io = new ThreadPoolExecutor(maxWorkers: 4, threadNamePrefix: "io");
        await using var render = new ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "render");
        await using Browser browser = await Browser.LaunchAsync();
        List<Future> futures;
        ProgressTracker tracker;
        IPage page;
        try
        {
            SiteJobs.RenderGate.Reset();
            // The job starts, then the page opens on it (as a user opens the dashboard on a job already running).
            futures = SiteJobs.Build(io, render);
            tracker = Futures.Progress(futures);
            page = await browser.OpenAsync(dashboard.Url);
            await page.WaitForFunctionAsync("() => document.getElementById('status').dataset.state === 'live'");

            // While the render stage is held: fetching and parsing are done, two renders run, the rest wait.
            await page.WaitForFunctionAsync(
                "() => { const cell = (m, f) => document.querySelector(`#progress tr[data-method='SiteJobs.${m}'] td[data-field='${f}']`); "
                + "return cell('Fetch', 'succeeded')?.textContent === '245' && cell('Parse', 'succeeded')?.textContent === '245' "
                + "&& cell('Render', 'running')?.textContent === '2' && cell('WritePage', 'queued')?.textContent === '245'; }");
            Dictionary<string, Row> during = await Rows(page);
            Assert.Equal((250, 0, 243, 2, 5), (during["Render"].Submitted, during["Render"].Succeeded, during["Render"].Queued, during["Render"].Running, during["Render"].Faulted));
            Assert.Equal((5, 5), (during["Fetch"].Faulted, during["WritePage"].Faulted));

            // The task stream draws the renders running on the render pool's two threads.
            await page.WaitForFunctionAsync("() => document.querySelectorAll(\"#task-stream rect.bar.running[data-method='SiteJobs.Render']\").length === 2");
            string[] lanes = await page.EvaluateFunctionAsync<string[]>("() => [...document.querySelectorAll(\"#task-stream rect.bar[data-method='SiteJobs.Render']\")].map(b => b.dataset.lane)");
            Assert.All(lanes, lane => Assert.StartsWith("render_", lane, StringComparison.Ordinal));
            Assert.True(await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#task-stream rect.bar').length") >= 4);

            // The grouped graph: the five stages, with their counts and the futures between them.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#graph g.node').length === 5");
            Node[] nodes = await page.EvaluateFunctionAsync<Node[]>(
                "() => [...document.querySelectorAll('#graph g.node')].map(n => ({ method: n.dataset.method, submitted: +n.dataset.submitted, done: +n.dataset.done, text: n.textContent }))");
            Assert.Equal(new[] { "SiteJobs.Fetch", "SiteJobs.Index", "SiteJobs.Parse", "SiteJobs.Render", "SiteJobs.WritePage" }, nodes.Select(n => n.Method).Order());
            Assert.Contains("250/250 done", nodes.Single(n => n.Method == "SiteJobs.Fetch").Text, StringComparison.Ordinal);
            Assert.Contains("5 threw", nodes.Single(n => n.Method == "SiteJobs.Fetch").Text, StringComparison.Ordinal);
            Assert.Equal(250, await page.EvaluateFunctionAsync<int>("() => +document.querySelector(\"#graph g.edge[data-from='SiteJobs.Fetch'][data-to='SiteJobs.Parse']\").dataset.count"));
            Assert.Equal(250, await page.EvaluateFunctionAsync<int>("() => +document.querySelector(\"#graph g.edge[data-from='SiteJobs.WritePage'][data-to='SiteJobs.Index']\").dataset.count"));

            // A failure, with its exception, the first call that threw, and what it took down.
            await page.WaitForFunctionAsync("() => document.querySelectorAll(\"#failures tr.failure[data-exception-type='IOException']\").length === 5");
            // Four io workers fetch at once: any missing page may be the first to throw, its label and message agree.
            string first = await page.EvaluateFunctionAsync<string>("() => document.querySelector('#failures tr.failure.first').textContent");
            Assert.Matches("Fetch (missing-[0-9]+)IOException\\1: not found", first);
            Assert.Contains("Parse ×1, Render ×1, WritePage ×1", first, StringComparison.Ordinal);

            // What a stuck call waits for: a page's write waits for its render, labelled by the page's name.
            await page.ClickAsync("#graph g.node[data-method='SiteJobs.WritePage']");
            await page.WaitForFunctionAsync("() => document.querySelectorAll(\"#drill-calls > li[data-state='Pending'] li[data-state='Running'], #drill-calls > li[data-state='Pending'] li[data-state='Pending']\").length > 0");
            string drill = await page.EvaluateFunctionAsync<string>("() => document.querySelector(\"#drill-calls > li[data-state='Pending']\").textContent");
            Assert.Matches("site/page-[0-9]+\\.html", drill);
            Assert.Contains("waiting for 1 argument", drill, StringComparison.Ordinal);
            Assert.Matches("Render page-[0-9]+", drill);

            // The executors: the render pool's two workers busy, renders queued.
            string renderPool = await page.EvaluateFunctionAsync<string>("() => document.querySelector(\"#executors tr[data-executor='render'] td[data-field='workers']\").textContent");
            Assert.StartsWith("2 / 0 / 2", renderPool, StringComparison.Ordinal);

            await Screenshot(page, "dashboard-running.png", readme: true);
        }
        finally
        {
            SiteJobs.RenderGate.Set();
        }

        // Live: the numbers move on when the renders go, to the end.
        await tracker.Completion.WaitAsync(Timeout);
        PipelineProgress progress = tracker.Current;
        Assert.Equal((1_001, 980, 21, 0), (progress.Total, progress.Succeeded, progress.Faulted, progress.Cancelled));
        await page.WaitForFunctionAsync(
            "() => ['Render', 'WritePage'].every(m => document.querySelector(`#progress tr[data-method='SiteJobs.${m}'] td[data-field='succeeded']`)?.textContent === '245')");
        Dictionary<string, Row> after = await Rows(page);
        Assert.Equal(245, after["Render"].Succeeded);
        Assert.Equal(progress.Total, after.Values.Sum(r => r.Submitted));
        Assert.Equal(progress.Succeeded, after.Values.Sum(r => r.Succeeded));
        Assert.Equal(progress.Faulted, after.Values.Sum(r => r.Faulted));
        Assert.Equal(progress.Cancelled, after.Values.Sum(r => r.Cancelled));
        Assert.All(after.Values, r => Assert.Equal((0, 0), (r.Queued, r.Running)));
        Assert.True(await page.EvaluateFunctionAsync<int>("() => +document.getElementById('status').dataset.updates") > 2);

        await Screenshot(page, "dashboard-done.png", readme: false);
        await page.CloseAsync();
        Assert.True(browser.Errors.IsEmpty, "The page reported errors:\n" + string.Join("\n", browser.Errors));
        GC.KeepAlive(futures);
    }

    /// <summary>The progress table's rows of the site build, by method.</summary>
    private static async Task<Dictionary<string, Row>> Rows(IPage page)
    {
        JsonElement[] rows = await page.EvaluateFunctionAsync<JsonElement[]>(
            "() => [...document.querySelectorAll(\"#progress tbody tr[data-method^='SiteJobs.']\")].map(r => { "
            + "const value = f => +r.querySelector(`td[data-field='${f}']`).textContent.replace(/,/g, ''); "
            + "return { method: r.dataset.method, submitted: value('submitted'), queued: value('queued'), running: value('running'), "
            + "succeeded: value('succeeded'), faulted: value('faulted'), cancelled: value('cancelled') }; })");
        return rows.ToDictionary(
            r => r.GetProperty("method").GetString()!["SiteJobs.".Length..],
            r => new Row(Get(r, "submitted"), Get(r, "queued"), Get(r, "running"), Get(r, "succeeded"), Get(r, "faulted"), Get(r, "cancelled")));

        static int Get(JsonElement row, string name) => (int)row.GetProperty(name).GetDouble();
    }

    /// <summary>Saves a screenshot with the test output; the one for the README also to docs/ when UPDATE_SCREENSHOTS=1.</summary>
    private static async Task Screenshot(IPage page, string name, bool readme)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is too small to be a picture of the page.");
        if (readme && Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1" && FindRepository() is { } root)
        {
            File.Copy(path, Path.Combine(root, "docs", "dashboard.png"), overwrite: true);
        }
    }

    private static string? FindRepository()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipelines.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private sealed record Row(int Submitted, int Queued, int Running, int Succeeded, int Faulted, int Cancelled);

    /// <summary>A node of the page's graph.</summary>
    public sealed class Node
    {
        public string Method { get; set; } = "";

        public int Submitted { get; set; }

        public int Done { get; set; }

        public string Text { get; set; } = "";
    }
}
