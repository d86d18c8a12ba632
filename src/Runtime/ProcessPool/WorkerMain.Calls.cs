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
using Pipelines.Internals;
using Pipelines.Remoting;
using Pipelines.Diagnostics;

namespace Pipelines.ProcessPool;

// Running one call in the worker: find the method's invoker (loading the application's assemblies if needed), run it
// on the JSON arguments, and leave a Result or Error frame for the serve loop to send.
internal static partial class WorkerMain
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_json; // writes results into the frame writer; reset for each call

    /// <summary>
    /// Runs one call and leaves its Result or Error frame in <paramref name="writer"/>. With a trace context from the
    /// pool, the call runs inside a span that continues the caller's: current for the method's code.
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
                PipelinesTelemetry.EndRemoteActivity(span, failure);
            }
        }
    }

    private static void RunCore(long callId, string methodId, ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, FrameWriter writer, ref Exception? failure)
    {
        try
        {
            RemoteInvoker invoker = FindInvoker(methodId, initializer: false);
            writer.Begin(FrameKind.Result);
            writer.WriteInt64(callId);
            int block = writer.BeginBlock();
            Utf8JsonWriter json = t_json ??= new Utf8JsonWriter(writer);
            json.Reset(writer); // drops whatever a call that threw left half-written
            RunToEnd(invoker(arguments, options, json, CancellationToken.None)); // the frame's bytes, read once by the invoker

            json.Flush();

            writer.EndBlock(block);
        }
        catch (Exception ex)
        {
            failure = ex;
            writer.Begin(FrameKind.Error);
            writer.WriteInt64(callId);
            ExceptionRecords.Write(writer, ex);
        }
    }

    /// <summary>Runs the pool's initializer (a [Submittable] method, by identity) once, before the first call; its exception or null.</summary>
    private static Exception? RunInitializer(string methodId, byte[] arguments, JsonSerializerOptions options)
    {
        try
        {
            RemoteInvoker invoker = FindInvoker(methodId, initializer: true);
            using var discarded = new Utf8JsonWriter(System.IO.Stream.Null);
            RunToEnd(invoker(arguments, options, discarded, CancellationToken.None));
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>The invoker registered for <paramref name="methodId"/>; a <see cref="MissingMethodException"/> that says what was looked for when there is none.</summary>
    private static RemoteInvoker FindInvoker(string methodId, bool initializer)
    {
        if (RemoteCalls.TryGet(methodId, out RemoteInvoker? invoker))
        {
            return invoker;
        }

        // The method's assembly registers its invokers from a module initializer, which runs when the assembly is
        // first used. In a fresh worker, a library may not have been touched yet: load the application's references.
        InitializeReferencedAssemblies();
        if (RemoteCalls.TryGet(methodId, out invoker))
        {
            return invoker;
        }

        string what = initializer
            ? $"The initializer '{methodId}' is not a [Submittable] method registered in worker process {Environment.ProcessId}. "
            : $"No [Submittable] method '{methodId}' is registered in worker process {Environment.ProcessId}. ";
        throw new MissingMethodException(what + "Its assembly must be compiled with the Pipelines generator and be loadable from the application.");
    }

    /// <summary>Waits on this thread for an invoker's work to end, rethrowing its exception.</summary>
    private static void RunToEnd(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
        }
        else
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
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

    /// <summary>
    /// The worker's serializer options: the pool's source-generated context when it used one (its type must be a
    /// <see cref="JsonSerializerContext"/>, checked before anything of it runs), else the defaults.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The context type is the one the parent process used, from the same application, so it is kept.")]
    private static JsonSerializerOptions ResolveOptions(string? jsonContext)
    {
        if (string.IsNullOrEmpty(jsonContext))
        {
            return RemoteCalls.DefaultJsonOptions();
        }

        Type type = Type.GetType(jsonContext, throwOnError: true)!;
        if (!typeof(JsonSerializerContext).IsAssignableFrom(type) || type.IsAbstract || type.ContainsGenericParameters)
        {
            throw new InvalidOperationException($"The pool's JSON context '{jsonContext}' is not a concrete JsonSerializerContext type.");
        }

        object? context = type.GetProperty("Default", BindingFlags.Public | BindingFlags.Static, null, type, Type.EmptyTypes, null)?.GetValue(null)
            ?? Activator.CreateInstance(type);
        return ((JsonSerializerContext)context!).Options;
    }
}
