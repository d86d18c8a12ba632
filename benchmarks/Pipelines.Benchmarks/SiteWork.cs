using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Pipelines.Benchmarks;

/// <summary>
/// The state of one site build, watched from outside as a user would: when the first page and half the pages were
/// written, and how many intermediate results (parsed, rendered and fetched pages not yet written) were alive at most.
/// One build runs at a time; <see cref="Begin"/> resets it.
/// </summary>
public static class SiteWork
{
    private static int[] s_attempts = [];
    private static int s_pages;
    private static int s_written;
    private static long s_start;
    private static long s_firstPage;
    private static long s_halfPages;
    private static int s_live;
    private static int s_peakLive;
    private static string s_directory = "";

    /// <summary>Rounds of <see cref="Burn"/> for one Parse and one Render (set by <see cref="Calibrate"/>).</summary>
    public static int ParseRounds { get; private set; } = 1;

    public static int RenderRounds { get; private set; } = 1;

    /// <summary>Sizes Parse to about 1.5 ms and Render to about 3 ms of one core's time, so the job is CPU-bound as a real build is.</summary>
    public static void Calibrate()
    {
        const int probe = 20_000;
        Burn(1, probe);
        long start = Stopwatch.GetTimestamp();
        Burn(2, probe);
        double perRound = Stopwatch.GetElapsedTime(start).TotalMilliseconds / probe;
        ParseRounds = Math.Max(1, (int)(1.5 / perRound));
        RenderRounds = Math.Max(1, (int)(3.0 / perRound));
    }

    public static void Begin(int pages)
    {
        s_attempts = new int[pages];
        s_pages = pages;
        s_written = 0;
        s_firstPage = 0;
        s_halfPages = 0;
        s_live = 0;
        s_peakLive = 0;
        s_directory = Path.Combine(Path.GetTempPath(), $"pipelines-site-{Environment.ProcessId}");
        Directory.CreateDirectory(s_directory);
        s_start = Stopwatch.GetTimestamp();
    }

    /// <summary>What the build's watcher saw: first page, half the pages, whole job (ms since <see cref="Begin"/>), peak live intermediates.</summary>
    public static SiteRun End(long checksum)
    {
        double total = Stopwatch.GetElapsedTime(s_start).TotalMilliseconds;
        if (s_written != s_pages)
        {
            throw new InvalidOperationException($"site build wrote {s_written} of {s_pages} pages");
        }

        return new SiteRun(Ms(s_firstPage), Ms(s_halfPages), total, s_peakLive, checksum);
    }

    /// <summary>CPU work that the JIT cannot remove: an xorshift walk.</summary>
    public static long Burn(long seed, int rounds)
    {
        ulong x = (ulong)seed | 1;
        for (int i = 0; i < rounds; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return (long)(x & 0xFFFF);
    }

    public static int FetchMilliseconds(int page) => 5 + (int)((uint)(page * 2654435761u) % 16);

    /// <summary>One page in twenty fails its first attempt.</summary>
    public static bool FailsThisAttempt(int page) => page % 20 == 7 && Interlocked.Increment(ref s_attempts[page]) == 1;

    public static void Produced()
    {
        int live = Interlocked.Increment(ref s_live);
        int peak;
        while (live > (peak = Volatile.Read(ref s_peakLive)) && Interlocked.CompareExchange(ref s_peakLive, live, peak) != peak)
        {
        }
    }

    public static void Consumed(int results) => Interlocked.Add(ref s_live, -results);

    public static PageInfo Write(RenderedPage rendered, PageData data)
    {
        long checksum = rendered.Html + data.Value;
        File.WriteAllText(Path.Combine(s_directory, $"page{rendered.Page}.html"), $"<html>{rendered.Page} {checksum}</html>");
        Consumed(2);
        int written = Interlocked.Increment(ref s_written);
        long now = Stopwatch.GetTimestamp();
        if (written == 1)
        {
            s_firstPage = now;
        }

        if (written == (s_pages + 1) / 2)
        {
            s_halfPages = now;
        }

        return new PageInfo(rendered.Page, checksum);
    }

    public static long WriteIndex(IReadOnlyList<PageInfo> pages)
    {
        long sum = 0;
        foreach (PageInfo page in pages)
        {
            sum += page.Checksum;
        }

        File.WriteAllText(Path.Combine(s_directory, "index.html"), $"<html>{pages.Count} pages, {sum}</html>");
        return sum;
    }

    private static double Ms(long timestamp) => timestamp == 0 ? double.NaN : Stopwatch.GetElapsedTime(s_start, timestamp).TotalMilliseconds;
}

/// <summary>One site build as its watcher saw it.</summary>
public readonly record struct SiteRun(double FirstPageMs, double HalfPagesMs, double TotalMs, int PeakLive, long Checksum);
