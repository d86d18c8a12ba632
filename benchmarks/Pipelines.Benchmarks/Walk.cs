using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>-- --walk</c>: the stacks of one call, from the stub to the line after <c>await</c>, as the README's Architecture
/// walk states them. It takes <c>new StackTrace(true)</c> where a stack can be reached without a debugger: in a
/// metrics listener when the call is accepted (the submitting side), inside the job, in a done-callback of a call queued
/// behind a held worker (the completing side), and after the <c>await</c>; and prints each frame with its file.
/// </summary>
public static partial class Walk
{
    private static StackTrace? s_atAccept;
    private static StackTrace? s_inJob;

    /// <summary>The sum; records the stack it runs on.</summary>
    [Submittable]
    public static int Traced(int a, int b)
    {
        s_inJob = new StackTrace(true);
        return a + b;
    }

    /// <summary>Holds its worker until <paramref name="release"/> is set.</summary>
    [Submittable]
    public static bool HoldWorker(ManualResetEventSlim release) => release.Wait(TimeSpan.FromSeconds(30));

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == Diagnostics.PipelinesTelemetry.CallsSubmitted)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => s_atAccept ??= new StackTrace(true));
        listener.Start();
        using var pool = new ThreadPoolExecutor(1);
        await pool.SubmitTraced(0, 0); // warm-up: the worker started, the path compiled
        s_atAccept = null;

        int sum = await pool.SubmitTraced(2, 3);
        var afterAwait = new StackTrace(true);

        using var release = new ManualResetEventSlim();
        Future<bool> held = pool.SubmitHoldWorker(release);
        Future<int> queued = pool.SubmitTraced(2, 3);
        StackTrace? atDone = null;
        queued.OnDone(_ => atDone = new StackTrace(true));
        release.Set();
        await queued;
        await held;

        Print("submit, to the metrics hook where the call is accepted", s_atAccept!);
        Print("the job, on the worker", s_inJob!);
        Print("a done-callback, on the completing worker", atDone!);
        Print("the line after await", afterAwait);
        return sum == 5 ? 0 : 1;
    }

    private static void Print(string what, StackTrace trace)
    {
        StackFrame[] frames = trace.GetFrames();
        Console.WriteLine($"{what}: {frames.Length} frames");
        foreach (StackFrame frame in frames)
        {
            System.Reflection.MethodBase? method = frame.GetMethod();
            string file = frame.GetFileName() is { } path ? Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path) : "-";
            Console.WriteLine($"  {method?.DeclaringType?.FullName}.{method?.Name}  [{file}]");
        }
    }
}
