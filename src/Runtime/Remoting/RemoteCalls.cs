using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Pipelines.Remoting;

/// <summary>
/// Runs a [Submittable] method by identity on JSON arguments, writing its JSON result: the worker side of
/// <see cref="IRemoteCall"/>. Generated module initializers register one per static method.
/// </summary>
/// <param name="arguments">
/// The JSON array written by <see cref="IRemoteCall.WriteArguments"/>, as it came off the wire (UTF-8, unparsed: the
/// invoker reads it once). It must stay unchanged until the returned task completes.
/// </param>
/// <param name="options">Serialization options; their resolver supplies the type metadata.</param>
/// <param name="result">Where the result is written (JSON <c>null</c> for methods without one).</param>
/// <param name="cancellationToken">Fires when the caller cancels (a pool may also simply end the process).</param>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public delegate ValueTask RemoteInvoker(ReadOnlyMemory<byte> arguments, JsonSerializerOptions options, Utf8JsonWriter result, CancellationToken cancellationToken);

/// <summary>The registry of <see cref="RemoteInvoker"/>s by method identity, filled by generated code at module load.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class RemoteCalls
{
    private static readonly ConcurrentDictionary<string, RemoteInvoker> s_invokers = new(StringComparer.Ordinal);

    /// <summary>Registers the invoker of one method. Registering the same identity again replaces it.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Register(string methodId, RemoteInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(methodId);
        ArgumentNullException.ThrowIfNull(invoker);
        s_invokers[methodId] = invoker;
    }

    /// <summary>
    /// The serializer options remote executors and their workers use when none are given:
    /// <see cref="JsonSerializerOptions.Default"/>, where reflection-based serialization is enabled. Trimmed and native-AOT
    /// applications have it disabled and must give source-generated options (<c>MyJsonContext.Default.Options</c>)
    /// covering the methods' parameter and result types: <see cref="ProcessPoolOptions.JsonOptions"/>, and the Orleans
    /// executor's and silos' <c>JsonOptions</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Reflection-based serialization is disabled in this application.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false in trimmed and AOT applications.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false in trimmed and AOT applications.")]
    public static JsonSerializerOptions DefaultJsonOptions() =>
        JsonSerializer.IsReflectionEnabledByDefault
            ? JsonSerializerOptions.Default
            : throw new InvalidOperationException(
                "Reflection-based JSON serialization is disabled in this application (trimming or native AOT): give the executor (and the silos) " +
                "JsonSerializerOptions from a source-generated JsonSerializerContext that covers the [Submittable] methods' parameter and result " +
                "types, e.g. MyJsonContext.Default.Options.");

    /// <summary>Finds the invoker of a method, if its assembly registered one.</summary>
    public static bool TryGet(string methodId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RemoteInvoker? invoker) =>
        s_invokers.TryGetValue(methodId, out invoker);
}
