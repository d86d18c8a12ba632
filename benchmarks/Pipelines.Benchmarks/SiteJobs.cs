using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Benchmarks;

/// <summary>
/// The steps of a static-site build, the real job the scheduler is measured on: per page Parse → Render (CPU), an
/// async Fetch of data the page shows (5-20 ms, one page in twenty fails once with a transient <see cref="IOException"/>
/// and is retried), WritePage over both (a file), and an index over every page. The same methods serve the generated
/// stubs, plain TPL and Dataflow, so the three versions do the same work.
/// </summary>
public static partial class SiteJobs
{
    [Submittable]
    public static ParsedPage Parse(int page)
    {
        long tokens = SiteWork.Burn(page, SiteWork.ParseRounds);
        SiteWork.Produced();
        return new ParsedPage(page, tokens);
    }

    [Submittable]
    public static RenderedPage Render(ParsedPage parsed)
    {
        long html = SiteWork.Burn(parsed.Tokens, SiteWork.RenderRounds);
        SiteWork.Consumed(1);
        SiteWork.Produced();
        return new RenderedPage(parsed.Page, html);
    }

    [Submittable(Retries = 3, RetryOn = new[] { typeof(IOException) })]
    public static async Task<PageData> Fetch(int page, CancellationToken cancellationToken)
    {
        await Task.Delay(SiteWork.FetchMilliseconds(page), cancellationToken).ConfigureAwait(false);
        if (SiteWork.FailsThisAttempt(page))
        {
            throw new IOException($"page {page}: connection reset (transient)");
        }

        SiteWork.Produced();
        return new PageData(page, page * 31L);
    }

    [Submittable]
    public static PageInfo WritePage(RenderedPage rendered, PageData data) => SiteWork.Write(rendered, data);

    [Submittable]
    public static long Index(IReadOnlyList<PageInfo> pages) => SiteWork.WriteIndex(pages);

    /// <summary>Fetch with the same retry policy the attribute gives the stub (3 retries of I/O failures, 50 ms doubling, ±25%), for TPL and Dataflow.</summary>
    public static async Task<PageData> FetchWithRetries(int page, CancellationToken cancellationToken = default)
    {
        for (int retry = 0; ; retry++)
        {
            try
            {
                return await Fetch(page, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (retry < 3)
            {
                int backoff = (int)((50 << retry) * (0.75 + (Random.Shared.NextDouble() * 0.5)));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>A parsed source.</summary>
public sealed record ParsedPage(int Page, long Tokens);

/// <summary>A rendered page.</summary>
public sealed record RenderedPage(int Page, long Html);

/// <summary>What Fetch returned for a page.</summary>
public sealed record PageData(int Page, long Value);

/// <summary>A page written.</summary>
public sealed record PageInfo(int Page, long Checksum);
