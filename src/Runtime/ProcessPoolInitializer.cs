using System;
using System.Buffers;
using System.ComponentModel;
using System.Text.Json;

namespace Pipelines;

/// <summary>
/// What each worker of a <see cref="ProcessPoolExecutor"/> runs once, before its first call (Python's
/// <c>initializer</c> and <c>initargs</c>): a static [Submittable] method, named by its identity, with its arguments.
/// Nothing but that name and the JSON arguments reaches the worker — no delegate crosses the process boundary. Make one
/// with the generated factory of the method, which checks the arguments' types at compile time:
/// <code>new ProcessPoolExecutor(maxWorkers: 4, initializer: JobsStubs.InitializeLoadModel("model.bin"))</code>
/// </summary>
/// <remarks>
/// The method runs in the worker after the application's [Submittable] methods are registered and before the worker
/// says it is ready; its result is ignored. If it throws, the pool is broken, as in CPython: the worker's exception is
/// the <see cref="Exception.InnerException"/> of the <see cref="BrokenProcessPoolException"/> that queued, running and
/// later calls fail with.
/// </remarks>
public sealed class ProcessPoolInitializer
{
    private readonly Action<Utf8JsonWriter, JsonSerializerOptions> _writeArguments;

    /// <summary>Describes an initializer; generated code calls this (use the generated <c>Initialize…</c> factories).</summary>
    /// <param name="methodId">The method's identity, its documentation comment ID (see <see cref="Remoting.IRemoteCall.MethodId"/>).</param>
    /// <param name="writeArguments">Writes the method's arguments as one JSON array, as <see cref="Remoting.IRemoteCall.WriteArguments"/> does.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="methodId"/> is empty.</exception>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public ProcessPoolInitializer(string methodId, Action<Utf8JsonWriter, JsonSerializerOptions> writeArguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methodId);
        ArgumentNullException.ThrowIfNull(writeArguments);
        MethodId = methodId;
        _writeArguments = writeArguments;
    }

    /// <summary>The method's identity, e.g. <c>M:Demo.Jobs.LoadModel(System.String)</c>.</summary>
    public string MethodId { get; }

    /// <inheritdoc/>
    public override string ToString() => MethodId;

    /// <summary>The arguments as the JSON array the worker reads, written once when the pool is created.</summary>
    /// <exception cref="ArgumentException">They do not serialize with <paramref name="options"/>.</exception>
    internal byte[] SerializeArguments(JsonSerializerOptions options, string parameterName)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            _writeArguments(writer, options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"The arguments of the initializer {MethodId} do not serialize with the pool's JSON options: {ex.Message}", parameterName, ex);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
