using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Advanced;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// Runs [Submittable] methods on a silo by method id, through the <see cref="RemoteInvoker"/>s that the generated
/// module initializers register: one per silo, on a Pipelines <see cref="ThreadPoolExecutor"/> of dedicated threads so
/// blocking methods never starve the .NET thread pool that Orleans itself runs on.
/// </summary>
internal sealed class SiloCallRunner : IDisposable
{
    private readonly ThreadPoolExecutor _executor;
    private volatile bool _stopping;

    public SiloCallRunner(PipelinesSiloOptions options, TimeSpan referencePollInterval)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        ReferencePollInterval = referencePollInterval;
        JsonOptions = options.JsonOptions ?? RemoteCalls.DefaultJsonOptions();
        _executor = new ThreadPoolExecutor(options.MaxConcurrentCalls ?? Environment.ProcessorCount, "pipelines-silo");
        RegisterAssemblies(options);
    }

    public PipelinesSiloOptions Options { get; }

    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>How long one silo-to-silo read of an argument waits (<see cref="PipelinesSiloOptions.ReferencePollInterval"/> in force).</summary>
    public TimeSpan ReferencePollInterval { get; }

    /// <summary>True once the silo is stopping: what fails from now on fails because the silo goes away.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Runs the generated module initializers of the assemblies, which fill <see cref="RemoteCalls"/>.</summary>
    internal static void RegisterAssemblies(PipelinesSiloOptions options)
    {
        foreach (var assembly in options.Assemblies)
        {
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
    }

    /// <summary>
    /// Runs one call on a worker thread: <paramref name="arguments"/> is the JSON array of its arguments. Completes with
    /// the result JSON, or the method's exception; with <see cref="OperationCanceledException"/> if
    /// <paramref name="cancellationToken"/> fired before it started. A running call sees the token.
    /// </summary>
    public Task<byte[]> RunAsync(string methodId, byte[] arguments, CancellationToken cancellationToken)
    {
        if (!RemoteCalls.TryGet(methodId, out RemoteInvoker? invoker))
        {
            return Task.FromException<byte[]>(new MissingMethodException(
                $"No [Submittable] method '{methodId}' is registered on this silo. Add the assembly that declares it with " +
                "siloBuilder.AddPipelines(typeof(SomeTypeInIt).Assembly), and compile it with the Pipelines generator."));
        }

        Future<byte[]> future = _executor.Submit(ct => Invoke(invoker, arguments, ct));
        if (cancellationToken.CanBeCanceled)
        {
            // Cancel() on a call that has not started means it never runs; on a running one it signals the token the
            // executor passed in (the Future's own), which the invoker sees.
            CancellationTokenRegistration registration = cancellationToken.Register(static state => ((Future)state!).Cancel(), future);
            future.OnDone(_ => registration.Dispose());
        }

        return future.AsTask();
    }

    private async Task<byte[]> Invoke(RemoteInvoker invoker, byte[] arguments, CancellationToken cancellationToken)
    {
        // The document lives until the call ends: an async method's invoker may read its arguments after it yields.
        using JsonDocument document = JsonDocument.Parse(arguments);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            await invoker(document.RootElement, JsonOptions, writer, cancellationToken).ConfigureAwait(false);
            writer.Flush();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        _stopping = true;
        _executor.Shutdown(wait: false, cancelFutures: true);
    }
}
