using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Pipelines.IntegrationTests;

/// <summary>A parsed page.</summary>
/// <param name="Title">Its title.</param>
/// <param name="Body">Its text.</param>
public sealed record Document(string Title, string Body);

/// <summary>
/// A static-site build as a user writes one (the shape a newcomer reported: 300 pages, a graph no Mermaid viewer would draw): per page Fetch → Parse → Render → WritePage,
/// then one Index over every page written. Labels are the defaults: a page's name flows from Fetch down its chain.
/// </summary>
public static partial class StaticSite
{
    [Submittable]
    public static string Fetch(string page) =>
        page.StartsWith("broken", System.StringComparison.Ordinal) ? throw new IOException($"{page}: not found") : $"# {page}\n\nText of {page}.";

    [Submittable]
    public static Document Parse(string source) => new(source.Split('\n')[0].TrimStart('#', ' '), source);

    [Submittable]
    public static string Render(Document document) => $"<h1>{document.Title}</h1><p>{document.Body.Length} characters</p>";

    [Submittable]
    public static string WritePage(string path, string html) => path; // a real build writes html to path

    [Submittable]
    public static int Index(List<string> paths) => paths.Count;

    /// <summary>Submits the whole build: <paramref name="pages"/> pages, and the index over them.</summary>
    public static Future<int> Build(IExecutor executor, IEnumerable<string> pages)
    {
        var written = new List<Future<string>>();
        foreach (string page in pages)
        {
            Future<Document> parsed = executor.SubmitParse(executor.SubmitFetch(page));
            written.Add(executor.SubmitWritePage($"site/{page}.html", executor.SubmitRender(parsed)));
        }

        return executor.SubmitIndex(written);
    }

    /// <summary>300 page names, every 60th one missing (its Fetch throws).</summary>
    public static string[] Pages(int count = 300) =>
        Enumerable.Range(0, count).Select(i => i % 60 == 17 ? $"broken-{i}" : $"page-{i}").ToArray();
}
