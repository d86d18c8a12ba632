using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using System.Threading.Tasks.Dataflow;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --real-job</c> (also part of <c>--quick</c>): the static-site build of <see cref="SiteJobs"/> written three
/// ways as a new user writes it — the generated stubs on a default <c>new ThreadPoolExecutor()</c>, plain TPL
/// (<c>Task.Run</c> + async/await per page, <c>Task.WhenAll</c>), and a TPL Dataflow pipeline — interleaved rep by
/// rep, each watched from outside: time to the first page written, to half the pages, the whole job (index written),
/// and the most intermediate results alive at once. Ratios are Pipelines over plain TPL, per metric, on medians.
/// </summary>
internal static class RealJob
{
    private const int Pages = 300;

    public static int Run(int reps = 5)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        SiteWork.Calibrate();
        var runs = new Dictionary<string, List<SiteRun>> { ["pipelines"] = [], ["tpl"] = [], ["dataflow"] = [] };
        long expected = 0;
        for (int rep = -1; rep < reps; rep++)
        {
            foreach ((string name, Func<long> build) in new (string, Func<long>)[] { ("pipelines", Stubs), ("tpl", PlainTpl), ("dataflow", Dataflow) })
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                SiteWork.Begin(Pages);
                SiteRun run = SiteWork.End(build());
                expected = expected == 0 ? run.Checksum : expected;
                if (run.Checksum != expected)
                {
                    throw new InvalidOperationException($"{name}: checksum {run.Checksum}, expected {expected}");
                }

                if (rep >= 0)
                {
                    runs[name].Add(run);
                }
            }
        }

        Report(runs, reps);
        return 0;
    }

    /// <summary>The generated stubs: per page Parse → Render and Fetch, WritePage over both; the index over every page.</summary>
    private static long Stubs()
    {
        using var pool = new ThreadPoolExecutor();
        var pages = new Future<PageInfo>[Pages];
        for (int page = 0; page < Pages; page++)
        {
            Future<RenderedPage> rendered = pool.SubmitParse(page).ThenRender();
            Future<PageData> data = pool.SubmitFetch(page);
            pages[page] = pool.SubmitWritePage(rendered, data);
        }

        return pool.SubmitIndex(pages).GetResult();
    }

    /// <summary>Plain TPL: one async task per page on the .NET thread pool, then the index.</summary>
    private static long PlainTpl()
    {
        var pages = new Task<PageInfo>[Pages];
        for (int page = 0; page < Pages; page++)
        {
            int p = page;
            pages[page] = Task.Run(async () =>
            {
                Task<PageData> data = SiteJobs.FetchWithRetries(p);
                RenderedPage rendered = SiteJobs.Render(SiteJobs.Parse(p));
                return SiteJobs.WritePage(rendered, await data.ConfigureAwait(false));
            });
        }

        return SiteJobs.Index(Task.WhenAll(pages).GetAwaiter().GetResult());
    }

    /// <summary>TPL Dataflow: Parse → Render → Fetch → Write blocks, CPU blocks as wide as the cores, Fetch 16 wide.</summary>
    private static long Dataflow()
    {
        var cpu = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        var parse = new TransformBlock<int, ParsedPage>(SiteJobs.Parse, cpu);
        var render = new TransformBlock<ParsedPage, RenderedPage>(SiteJobs.Render, cpu);
        var fetch = new TransformBlock<RenderedPage, (RenderedPage, PageData)>(
            async rendered => (rendered, await SiteJobs.FetchWithRetries(rendered.Page).ConfigureAwait(false)),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 16 });
        var written = new List<PageInfo>(Pages);
        var write = new ActionBlock<(RenderedPage Rendered, PageData Data)>(
            pair =>
            {
                PageInfo info = SiteJobs.WritePage(pair.Rendered, pair.Data);
                lock (written)
                {
                    written.Add(info);
                }
            },
            cpu);
        parse.LinkTo(render, link);
        render.LinkTo(fetch, link);
        fetch.LinkTo(write, link);
        for (int page = 0; page < Pages; page++)
        {
            parse.Post(page);
        }

        parse.Complete();
        write.Completion.GetAwaiter().GetResult();
        return SiteJobs.Index(written);
    }

    private static void Report(Dictionary<string, List<SiteRun>> runs, int reps)
    {
        Console.WriteLine($"# real job: a {Pages}-page site build (Parse ~1.5 ms → Render ~3 ms, async Fetch 5-20 ms with 5% transient failures retried, WritePage, index), {reps} interleaved reps, medians; Pipelines on new ThreadPoolExecutor()");
        SiteRun Median(string name, Func<SiteRun, double> metric) => runs[name].OrderBy(metric).ElementAt(runs[name].Count / 2);
        foreach ((string metric, Func<SiteRun, double> read) in new (string, Func<SiteRun, double>)[]
        {
            ("first page written", r => r.FirstPageMs),
            ("half the pages written", r => r.HalfPagesMs),
            ("whole job", r => r.TotalMs),
        })
        {
            double pipelines = read(Median("pipelines", read)), tpl = read(Median("tpl", read)), dataflow = read(Median("dataflow", read));
            double ratio = pipelines / tpl;
            Console.WriteLine(
                $"real job, {metric}: pipelines {pipelines:F0} ms, plain TPL {tpl:F0} ms, Dataflow {dataflow:F0} ms; ratio to TPL {ratio:F2}  [target <= 1.00: {(ratio <= 1.0 ? "met" : "MISSED")}]" +
                $" (runs: {string.Join(" ", runs["pipelines"].Select(r => read(r).ToString("F0", CultureInfo.InvariantCulture)))} / {string.Join(" ", runs["tpl"].Select(r => read(r).ToString("F0", CultureInfo.InvariantCulture)))})");
        }

        static int Peak(List<SiteRun> list) => list.Select(r => r.PeakLive).OrderBy(p => p).ElementAt(list.Count / 2);
        Console.WriteLine($"real job, peak live intermediate results (of {Pages * 3} made): pipelines {Peak(runs["pipelines"])}, plain TPL {Peak(runs["tpl"])}, Dataflow {Peak(runs["dataflow"])}");
    }
}
