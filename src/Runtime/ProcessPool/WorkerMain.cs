using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.IO.Pipes;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;

namespace Pipelines.ProcessPool;

/// <summary>
/// The worker (child) side of the pipe: the main loop of a worker process. A worker process is the user's own
/// application, started again by <see cref="WorkerHandle"/> (the pool's side) with an environment variable that turns
/// it into a worker. <see cref="RunIfRequested"/> notices that, serves calls until the pool lets it go, and exits; in
/// any other process it returns at once.
/// </summary>
/// <remarks>
/// Three ways in, whichever runs first: <see cref="StartupHook"/> (before <c>Main</c>, where startup hooks are
/// supported), the module initializer the Pipelines generator emits in every executable that declares [Submittable]
/// methods, and <see cref="ProcessPoolExecutor.RunWorkerIfRequested"/> as the first statement of <c>Main</c>. The last
/// two go through <see cref="ProcessPoolExecutor.RunWorkerIfRequested"/>, the one public entry point.
/// </remarks>
internal static partial class WorkerMain
{
    /// <summary>The environment variable that makes a process a worker: the two pipe handles, <c>;</c>-separated.</summary>
    internal const string ChannelVariable = "PIPELINES_PROCESS_WORKER";

    /// <summary>The environment variable naming the JsonSerializerContext type whose <c>Default</c> options the worker uses.</summary>
    internal const string JsonContextVariable = "PIPELINES_PROCESS_WORKER_JSON_CONTEXT";

    /// <summary>The environment variable of .NET startup hooks; workers get Pipelines' own, <see cref="StartupHook"/>.</summary>
    internal const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>The exit code of a worker whose parent went away.</summary>
    internal const int ParentGoneExitCode = 70;

    private static int s_entered;

    /// <summary>True in a process started as a process-pool worker that has not started serving yet.</summary>
    public static bool IsRequested => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ChannelVariable));

    /// <summary>
    /// In a process started by a <see cref="ProcessPoolExecutor"/>, serves calls until the pool lets the worker go,
    /// then ends the process with <see cref="Environment.Exit(int)"/>: it does not return. In any other process it
    /// returns at once.
    /// </summary>
    public static void RunIfRequested()
    {
        string? channel = Environment.GetEnvironmentVariable(ChannelVariable);
        if (string.IsNullOrEmpty(channel) || Interlocked.Exchange(ref s_entered, 1) != 0)
        {
            return;
        }

        string? jsonContext = Environment.GetEnvironmentVariable(JsonContextVariable);

        // A process pool created by a call in this worker starts workers of its own; they must not inherit our pipes.
        Environment.SetEnvironmentVariable(ChannelVariable, null);
        Environment.SetEnvironmentVariable(JsonContextVariable, null);
        int exitCode;
        try
        {
            exitCode = Serve(channel, jsonContext);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Pipelines: process-pool worker {Environment.ProcessId} failed: {ex}");
            exitCode = 71;
        }

        Environment.Exit(exitCode);
    }

    /// <summary>
    /// The path of this assembly for <see cref="StartupHooksVariable"/>, or null where startup hooks cannot work
    /// (single-file and trimmed applications; the module initializer or <c>Main</c> starts the worker there).
    /// </summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file) is checked: no startup hook then.")]
    internal static string? StartupHookPath()
    {
        if (AppContext.TryGetSwitch("System.StartupHookProvider.IsSupported", out bool supported) && !supported)
        {
            return null;
        }

        string location = typeof(WorkerMain).Assembly.Location;
        return location.Length == 0 ? null : location;
    }

    /// <summary>Serves from the startup hook: on the main thread, before Main, outside any module initializer.</summary>
    internal static void RunFromStartupHook()
    {
        // Processes the worker starts must not inherit the hook: take ours back out of the variable.
        string? hooks = Environment.GetEnvironmentVariable(StartupHooksVariable);
        string? ours = StartupHookPath();
        if (hooks is not null && ours is not null)
        {
            string[] kept = Array.FindAll(hooks.Split(Path.PathSeparator), h => h.Length > 0 && !string.Equals(h, ours, StringComparison.Ordinal));
            Environment.SetEnvironmentVariable(StartupHooksVariable, kept.Length == 0 ? null : string.Join(Path.PathSeparator, kept));
        }

        RunIfRequested();
    }

    private static int Serve(string channel, string? jsonContext)
    {
        string[] handles = channel.Split(';');
        if (handles.Length != 2)
        {
            throw new InvalidOperationException($"{ChannelVariable} is malformed: '{channel}'.");
        }

        using var input = new AnonymousPipeClientStream(PipeDirection.In, handles[0]);
        using var output = new AnonymousPipeClientStream(PipeDirection.Out, handles[1]);
        WatchParent();

        // Register the application's [Submittable] methods now (its module initializer), not on the first call.
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            RuntimeHelpers.RunModuleConstructor(entry.ManifestModule.ModuleHandle);
        }

        JsonSerializerOptions options = ResolveOptions(jsonContext);
        var writer = new FrameWriter();
        writer.Begin(FrameKind.Ready);
        writer.WriteInt32(Environment.ProcessId);
        writer.Send(output);

        byte[] buffer = new byte[4096];
        while (WorkerProtocol.TryReadFrame(input, ref buffer, out int length))
        {
            var reader = new FrameReader(buffer.AsSpan(0, length));
            switch (reader.ReadKind())
            {
                case FrameKind.Call:
                    long callId = reader.ReadInt64();
                    string methodId = reader.ReadString()!;
                    int argumentsStart = reader.Position + 4;
                    int argumentsLength = reader.ReadBlock().Length;
                    string? traceParent = reader.HasMore ? reader.ReadString() : null;
                    string? traceState = reader.HasMore ? reader.ReadString() : null;
                    Run(callId, methodId, buffer.AsMemory(argumentsStart, argumentsLength), options, writer, traceParent, traceState);
                    writer.Send(output);
                    break;
                case FrameKind.Exit:
                    return 0;
                default:
                    throw new InvalidDataException("Unexpected message from the process pool.");
            }
        }

        return 0; // the pool closed the pipe: it is done with us (or gone)
    }

    /// <summary>The pool holds our standard input open; when it ends, the pool's process is gone, and so are we.</summary>
    private static void WatchParent()
    {
        var watcher = new Thread(static () =>
        {
            try
            {
                using Stream stdin = Console.OpenStandardInput();
                byte[] buffer = new byte[64];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            Environment.Exit(ParentGoneExitCode);
        })
        {
            IsBackground = true,
            Name = "Pipelines process-worker parent watch",
        };
        watcher.UnsafeStart();
    }
}
