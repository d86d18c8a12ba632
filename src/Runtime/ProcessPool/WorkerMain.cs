using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.IO.Pipes;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Advanced;
using Pipelines.Diagnostics;

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
internal static class WorkerMain
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

    /// <summary>
    /// Runs one call and leaves its Result or Error frame in <paramref name="writer"/>. With a trace context from the
    /// pool (issue 16), the call runs inside a span that continues the caller's: current for the method's code.
    /// </summary>
    private static void Run(long callId, string methodId, ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, FrameWriter writer, string? traceParent, string? traceState)
    {
        Activity? span = traceParent is null ? null : PipelinesTelemetry.StartRemoteActivity(methodId, traceParent, traceState);
        Exception? failure = null;
        try
        {
            RunCore(callId, methodId, arguments, options, writer, ref failure);
        }
        finally
        {
            if (span is not null)
            {
                Tracing.EndRemoteSpan(span, failure);
            }
        }
    }

    private static void RunCore(long callId, string methodId, ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, FrameWriter writer, ref Exception? failure)
    {
        try
        {
            if (!TryFindInvoker(methodId, out RemoteInvoker? invoker))
            {
                throw new MissingMethodException(
                    $"No [Submittable] method '{methodId}' is registered in worker process {Environment.ProcessId}. " +
                    "Its assembly must be compiled with the Pipelines generator and be loadable from the application.");
            }

            using JsonDocument document = JsonDocument.Parse(arguments);
            writer.Begin(FrameKind.Result);
            writer.WriteInt64(callId);
            int block = writer.BeginBlock();
            using (var json = new Utf8JsonWriter(writer))
            {
                ValueTask pending = invoker(document.RootElement, options, json, CancellationToken.None);
                if (pending.IsCompletedSuccessfully)
                {
                    pending.GetAwaiter().GetResult();
                }
                else
                {
                    pending.AsTask().GetAwaiter().GetResult();
                }

                json.Flush();
            }

            writer.EndBlock(block);
        }
        catch (Exception ex)
        {
            failure = ex;
            writer.Begin(FrameKind.Error);
            writer.WriteInt64(callId);
            writer.WriteString(ex.GetType().AssemblyQualifiedName ?? ex.GetType().FullName ?? ex.GetType().Name); // the parent rebuilds this type
            writer.WriteString(ex.Message);
            writer.WriteString(ex.StackTrace);
        }
    }

    private static bool TryFindInvoker(string methodId, [NotNullWhen(true)] out RemoteInvoker? invoker)
    {
        if (RemoteCalls.TryGet(methodId, out invoker))
        {
            return true;
        }

        // The method's assembly registers its invokers from a module initializer, which runs when the assembly is
        // first used. In a fresh worker, a library may not have been touched yet: load the application's references.
        InitializeReferencedAssemblies();
        return RemoteCalls.TryGet(methodId, out invoker);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only assemblies the application references are loaded; a trimmed-away one has no methods to find.")]
    private static void InitializeReferencedAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            pending.Push(entry);
        }

        while (pending.Count > 0)
        {
            Assembly assembly = pending.Pop();
            if (!seen.Add(assembly.FullName ?? string.Empty))
            {
                continue;
            }

            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard"))
                {
                    continue;
                }

                try
                {
                    pending.Push(Assembly.Load(reference));
                }
                catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // Not deployed with the application; it cannot hold the method.
                }
            }
        }
    }

    /// <summary>The worker's serializer options: the pool's source-generated context when it used one, else the defaults.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    private static JsonSerializerOptions ResolveOptions(string? jsonContext)
    {
        if (string.IsNullOrEmpty(jsonContext))
        {
            return DefaultJsonOptions();
        }

        Type type = Type.GetType(jsonContext, throwOnError: true)!;
        object? context = type.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? Activator.CreateInstance(type);
        return ((JsonSerializerContext)context!).Options;
    }

    /// <summary>
    /// <see cref="JsonSerializerOptions.Default"/> where reflection-based serialization is enabled; trimmed and native-AOT
    /// applications have it disabled and must pass source-generated options.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false in trimmed and AOT applications.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false in trimmed and AOT applications.")]
    internal static JsonSerializerOptions DefaultJsonOptions() =>
        JsonSerializer.IsReflectionEnabledByDefault
            ? JsonSerializerOptions.Default
            : throw new InvalidOperationException(
                "Reflection-based JSON serialization is disabled in this application (trimming or native AOT): create the ProcessPoolExecutor " +
                "with jsonOptions from a source-generated JsonSerializerContext that covers the submitted methods' parameter and result types, " +
                "e.g. MyJsonContext.Default.Options.");

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
