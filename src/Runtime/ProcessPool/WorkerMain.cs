using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.IO.Pipes;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Runtime.InteropServices;
using System.Text;
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
    /// <summary>
    /// The environment variable that makes a process a worker: the two pipe handles and the token the pool's first
    /// message must carry, <c>;</c>-separated. The environment alone proves nothing: the token must also come through the pipe.
    /// </summary>
    internal const string ChannelVariable = "PIPELINES_PROCESS_WORKER";

    /// <summary>The environment variable of .NET startup hooks; workers get Pipelines' own, <see cref="StartupHook"/>.</summary>
    internal const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>The exit code of a worker whose parent went away.</summary>
    internal const int ParentGoneExitCode = 70;

    /// <summary>The exit code of a worker that failed unexpectedly.</summary>
    internal const int FailedExitCode = 71;

    /// <summary>The exit code of a process whose environment said "worker" but whose pipe did not prove it.</summary>
    internal const int NotAWorkerExitCode = 72;

    /// <summary>How long a worker waits for the pool's first message before it decides no pool started it.</summary>
    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(60);

    private static int s_entered;
    private static PosixSignalRegistration? s_interrupt;

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

        // A process pool created by a call in this worker starts workers of its own; they must not inherit our channel.
        Environment.SetEnvironmentVariable(ChannelVariable, null);
        LeaveTheTerminalToTheParent();
        int exitCode;
        try
        {
            exitCode = Serve(channel);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Pipelines: process-pool worker {Environment.ProcessId} failed: {ex}");
            exitCode = FailedExitCode;
        }

        Environment.Exit(exitCode);
    }

    /// <summary>
    /// Ctrl+C in a terminal signals its whole foreground process group; the parent decides what ends calls (cancel,
    /// shutdown), so a worker leads a process group of its own (which also lets the pool kill the processes its calls
    /// start, with it) and ignores SIGINT that arrives before that.
    /// </summary>
    private static void LeaveTheTerminalToTheParent()
    {
        if (!Unix.HasProcessGroups)
        {
            return;
        }

        s_interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static context => context.Cancel = true);
        Unix.BecomeProcessGroupLeader();
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

    private static int Serve(string channel)
    {
        string[] parts = channel.Split(';');
        if (parts.Length != 3 || parts[2].Length == 0)
        {
            throw new InvalidOperationException($"{ChannelVariable} is malformed: a worker needs two pipe handles and a token.");
        }

        using var input = new AnonymousPipeClientStream(PipeDirection.In, parts[0]);
        using var output = new AnonymousPipeClientStream(PipeDirection.Out, parts[1]);

        // Processes that calls start inherit neither pipe: they can neither read calls nor answer for us, nor keep the
        // pool waiting on a pipe after we are gone.
        Unix.SetCloseOnExec(input.SafePipeHandle.DangerousGetHandle());
        Unix.SetCloseOnExec(output.SafePipeHandle.DangerousGetHandle());

        byte[] buffer = new byte[4096];
        if (ReadHello(input, ref buffer, parts[2]) is not { } hello)
        {
            Console.Error.WriteLine(
                $"Pipelines: process {Environment.ProcessId} has {ChannelVariable} set but no process pool started it (its pipe did not carry the " +
                "pool's token); it does not serve calls.");
            return NotAWorkerExitCode;
        }

        WatchParent();

        // Register the application's [Submittable] methods now (its module initializer), not on the first call.
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            RuntimeHelpers.RunModuleConstructor(entry.ManifestModule.ModuleHandle);
        }

        JsonSerializerOptions options = ResolveOptions(hello.JsonContext);
        var writer = new FrameWriter();
        if (hello.InitializerMethodId is { } initializer)
        {
            Exception? failure = RunInitializer(initializer, hello.InitializerArguments, options);
            if (failure is not null)
            {
                writer.Begin(FrameKind.InitializerFailed);
                ExceptionRecords.Write(writer, failure);
                writer.Send(output, hello.MaxFrameLength);
                return 0;
            }
        }

        writer.Begin(FrameKind.Ready);
        writer.WriteInt32(Environment.ProcessId);
        writer.Send(output, hello.MaxFrameLength);

        while (WorkerProtocol.TryReadFrame(input, ref buffer, hello.MaxFrameLength, out int length))
        {
            var reader = new FrameReader(buffer.AsSpan(0, length));
            switch (reader.ReadKind())
            {
                case FrameKind.Call:
                    long callId = reader.ReadInt64("call id");
                    string methodId = reader.ReadString("method id") ?? throw new FrameException("a Call frame has no method id");
                    int argumentsStart = reader.Position + 4;
                    int argumentsLength = reader.ReadBlock("JSON arguments").Length;
                    string? traceParent = reader.ReadString("traceparent");
                    string? traceState = reader.ReadString("tracestate");
                    Run(callId, methodId, buffer.AsMemory(argumentsStart, argumentsLength), options, writer, traceParent, traceState);
                    SendResponse(output, writer, callId, hello.MaxFrameLength);
                    break;
                case FrameKind.Exit:
                    return 0;
                default:
                    throw new FrameException("an unexpected frame from the process pool");
            }

            WorkerProtocol.Shrink(ref buffer);
        }

        return 0; // the pool closed the pipe: it is done with us (or gone)
    }

    /// <summary>Sends a call's response; one over the size limit becomes an Error saying so (the call is answered either way).</summary>
    private static void SendResponse(Stream output, FrameWriter writer, long callId, int maxFrameLength)
    {
        try
        {
            writer.Send(output, maxFrameLength);
        }
        catch (InvalidOperationException tooLarge)
        {
            writer.Begin(FrameKind.Error);
            writer.WriteInt64(callId);
            ExceptionRecords.Write(writer, tooLarge);
            writer.Send(output, maxFrameLength);
        }
    }

    /// <summary>
    /// Reads the pool's first message, waiting at most <see cref="s_helloTimeout"/>: null unless it is a Hello that carries
    /// <paramref name="expectedToken"/> (compared in constant time).
    /// </summary>
    private static Hello? ReadHello(Stream input, ref byte[] buffer, string expectedToken)
    {
        using var watchdog = new Timer(static _ => Environment.Exit(NotAWorkerExitCode), null, s_helloTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            if (!WorkerProtocol.TryReadFrame(input, ref buffer, Array.MaxLength, out int length))
            {
                return null;
            }

            var reader = new FrameReader(buffer.AsSpan(0, length));
            if (reader.ReadKind() != FrameKind.Hello || reader.ReadString("token") is not { } token
                || !CryptographicEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expectedToken)))
            {
                return null;
            }

            string? jsonContext = reader.ReadString("JSON context");
            int maxFrameLength = reader.ReadInt32("frame limit");
            string? initializer = reader.ReadString("initializer");
            byte[] arguments = initializer is null ? Array.Empty<byte>() : reader.ReadBlock("initializer arguments").ToArray();
            reader.EndOfFrame();
            return new Hello(jsonContext, Math.Max(1024, maxFrameLength), initializer, arguments);
        }
        catch (Exception ex) when (ex is FrameException or IOException)
        {
            return null;
        }
    }

    private static bool CryptographicEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        int difference = left.Length ^ right.Length;
        for (int i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            difference |= left[i] ^ right[i];
        }

        return difference == 0;
    }

    /// <summary>The pool's first message: how to serialize, how large a message may be, and what to run first.</summary>
    private sealed record Hello(string? JsonContext, int MaxFrameLength, string? InitializerMethodId, byte[] InitializerArguments);

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
