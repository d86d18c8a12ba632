using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Advanced;
using Pipelines.Diagnostics;

namespace Pipelines.ProcessPool;

// Running one call in the worker: find the method's invoker (loading the application's assemblies if needed), run it
// on the JSON arguments, and leave a Result or Error frame for the serve loop to send.
internal static partial class WorkerMain
{
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
}
