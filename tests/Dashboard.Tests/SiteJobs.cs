using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace Pipelines.Dashboard.Tests;

/// <summary>
/// A static-site build of about a thousand calls for the dashboard to show: per page Fetch → Parse on an "io" pool, Render
/// on a small "render" pool (the slow stage, held at a gate the test opens), WritePage back on "io", then one Index
/// over every page. Every 50th page is missing: its Fetch throws, and takes down the rest of its chain and the index.
/// </summary>
public static partial class SiteJobs
{
    /// <summary>Render waits here (the test opens it), so the test sees the job while it runs, not just after.</summary>
    public static ManualResetEventSlim RenderGate { get; } = new(initialState: true);

    [Submittable]
    public static string Fetch(string page) =>
        page.StartsWith("missing", StringComparison.Ordinal) ? throw new IOException($"{page}: not found") : $"# {page}\n\nText of {page}.";

    [Submittable]
    public static int Parse(string source) => source.Length;

    [Submittable]
    public static string Render(int length, CancellationToken cancellationToken)
    {
        if (!RenderGate.Wait(TimeSpan.FromMinutes(2), cancellationToken))
        {
            throw new TimeoutException("The test never opened the render gate.");
        }

        return $"<p>{length} characters</p>";
    }

    [Submittable]
    public static string WritePage(string path, string html) => path;

    [Submittable]
    public static int Index(List<string> paths) => paths.Count;

    /// <summary>250 page names; every 50th is missing.</summary>
    public static string[] Pages { get; } = Enumerable.Range(0, 250).Select(i => i % 50 == 7 ? $"missing-{i}" : $"page-{i}").ToArray();

    /// <summary>Submits the build; returns every future of it (1,001), the index last.</summary>
    public static List<Future> Build(IExecutor io, IExecutor render)
    {
        var all = new List<Future>();
        var written = new List<Future<string>>();
        foreach (string page in Pages)
        {
            Future<string> fetched = io.SubmitFetch(page);
            Future<int> parsed = io.SubmitParse(fetched);
            Future<string> rendered = render.SubmitRender(parsed);
            Future<string> write = io.SubmitWritePage($"site/{page}.html", rendered);
            all.AddRange([fetched, parsed, rendered, write]);
            written.Add(write);
        }

        all.Add(io.SubmitIndex(written));
        return all;
    }
}
