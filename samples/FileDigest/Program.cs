// FileDigest: hash every file under a directory with a Pipelines pipeline.
//   enumerate the files  ->  executor.SubmitHash(path) for each, on a ThreadPoolExecutor  ->  aggregate the results
// A progress bar follows Futures.Progress while it works; a summary table follows. Unreadable files are counted as errors.
// With --dashboard, the Pipelines dashboard shows the job live in a browser (its URL is printed; it stays up until Enter).
// Usage: dotnet run --project samples/FileDigest [directory] [--dashboard]   (default directory: this repository)
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FileDigest;
using Pipelines;
using Pipelines.Dashboard;
using Spectre.Console;

string[] paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
string root = Path.GetFullPath(paths.Length > 0 ? paths[0] : FindRepositoryRoot() ?? Directory.GetCurrentDirectory());

// One line for a live view of the job: progress per method, what each worker runs, failures (see the README's Dashboard).
await using PipelinesDashboard? dashboard = args.Contains("--dashboard")
    ? await PipelinesDashboard.StartAsync(new PipelinesDashboardOptions { Title = "FileDigest" })
    : null;
if (!Directory.Exists(root))
{
    AnsiConsole.MarkupLineInterpolated($"[red]No such directory:[/] {root}");
    return 2;
}

// 1. Enumerate: every regular file (hidden files and folders such as .git are skipped; unreadable folders too).
var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
List<FileInfo> files = [.. new DirectoryInfo(root).EnumerateFiles("*", options)];
long totalBytes = files.Sum(f => SafeLength(f));
AnsiConsole.MarkupLineInterpolated($"Hashing [bold]{files.Count:N0}[/] files ([bold]{Megabytes(totalBytes)}[/]) under [blue]{root}[/]");

var clock = Stopwatch.StartNew();
var digests = new List<Digest>(files.Count);
var errors = new List<(string Path, Exception Error)>();

await using (var executor = new ThreadPoolExecutor(maxWorkers: Math.Max(2, Environment.ProcessorCount), threadNamePrefix: "hash"))
{
    // 2. Hash: one future per file, all submitted at once; the pool runs them on its workers.
    Dictionary<Future<Digest>, FileInfo> pending = files.ToDictionary(f => executor.SubmitHash(f.FullName), f => f);

    // 3. Watch: Futures.Progress reports done / faulted / total as the futures complete; the bar follows it.
    await AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .StartAsync(async context =>
        {
            ProgressTask filesTask = context.AddTask("files hashed", maxValue: Math.Max(1, files.Count));
            await foreach (PipelineProgress progress in Futures.Progress(pending.Keys))
            {
                filesTask.Value = progress.Done;
                if (progress.Faulted > 0)
                {
                    filesTask.Description = $"files hashed ([red]{progress.Faulted} unreadable[/])";
                }
            }

            filesTask.Value = filesTask.MaxValue;
        });

    // 4. Aggregate: every future is done now.
    foreach ((Future<Digest> future, FileInfo file) in pending)
    {
        if (future.GetException() is { } error)
        {
            errors.Add((file.FullName, error));
        }
        else
        {
            digests.Add(future.GetResult());
        }
    }
}

clock.Stop();

// The summary.
long hashedBytes = digests.Sum(d => d.Bytes);
double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
var summary = new Table().Border(TableBorder.Rounded).Title("[bold]FileDigest[/]").HideHeaders().AddColumn("").AddColumn(new TableColumn("").RightAligned());
summary.AddRow("Directory", Markup.Escape(root));
summary.AddRow("Files hashed", $"{digests.Count:N0}");
summary.AddRow("Errors (unreadable)", errors.Count == 0 ? "0" : $"[red]{errors.Count:N0}[/]");
summary.AddRow("Bytes", $"{hashedBytes:N0} ({Megabytes(hashedBytes)})");
summary.AddRow("Elapsed", $"{clock.Elapsed.TotalSeconds:0.00} s");
summary.AddRow("Throughput", $"{hashedBytes / 1048576.0 / seconds:0.0} MB/s");
summary.AddRow("Tree digest (SHA-256 of sorted path:hash lines)", TreeDigest(root, digests)[..16] + "…");
AnsiConsole.Write(summary);

var largest = new Table().Border(TableBorder.Rounded).Title("Top 5 largest").AddColumn("File").AddColumn(new TableColumn("Size").RightAligned()).AddColumn("SHA-256");
foreach (Digest digest in digests.OrderByDescending(d => d.Bytes).ThenBy(d => d.Path, StringComparer.Ordinal).Take(5))
{
    largest.AddRow(Markup.Escape(Path.GetRelativePath(root, digest.Path)), Megabytes(digest.Bytes), digest.Sha256[..16] + "…");
}

AnsiConsole.Write(largest);

foreach ((string path, Exception error) in errors.Take(5))
{
    AnsiConsole.MarkupLineInterpolated($"[red]error[/] {Path.GetRelativePath(root, path)}: {error.GetType().Name}: {error.Message}");
}

if (errors.Count > 5)
{
    AnsiConsole.MarkupLineInterpolated($"[red]... and {errors.Count - 5} more errors[/]");
}

if (dashboard is not null && !Console.IsInputRedirected)
{
    AnsiConsole.MarkupLineInterpolated($"The dashboard is still at [blue]{dashboard.Url}[/]: press Enter to stop it.");
    Console.ReadLine();
}

return 0;

static long SafeLength(FileInfo file)
{
    try
    {
        return file.Length;
    }
    catch (IOException)
    {
        return 0;
    }
}

static string Megabytes(long bytes) => bytes switch
{
    >= 1048576 => $"{bytes / 1048576.0:0.0} MB",
    >= 1024 => $"{bytes / 1024.0:0.0} KB",
    _ => $"{bytes} B",
};

static string TreeDigest(string root, List<Digest> digests)
{
    var lines = new StringBuilder();
    foreach (Digest digest in digests.OrderBy(d => d.Path, StringComparer.Ordinal))
    {
        lines.Append(Path.GetRelativePath(root, digest.Path).Replace('\\', '/')).Append(':').Append(digest.Sha256).Append('\n');
    }

    return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
}

static string? FindRepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipelines.sln")))
            {
                return directory.FullName;
            }
        }
    }

    return null;
}
