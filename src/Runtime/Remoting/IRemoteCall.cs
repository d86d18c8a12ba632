using System;
using System.ComponentModel;
using System.Text.Json;

namespace Pipelines.Remoting;

/// <summary>
/// Implemented by generated calls of static [Submittable] methods, so an executor can run them elsewhere — another
/// process, another machine: the method is named by a stable identity and its arguments travel as JSON, one by one.
/// An executor that resolves future arguments where the call runs reads each argument's future with
/// <see cref="GetArgumentFuture(int)"/> and writes only the plain values with <see cref="WriteArgument"/>.
/// Serialization goes through the <see cref="JsonSerializerOptions"/>' type-info resolver — a source-generated
/// <c>JsonSerializerContext</c> keeps it free of reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public interface IRemoteCall
{
    /// <summary>The method's identity: its documentation comment ID, e.g. <c>M:Demo.Jobs.Add(System.Int32,System.Int32)</c>.</summary>
    string MethodId { get; }

    /// <summary>How many arguments the call has: the method's parameters in order, <c>CancellationToken</c> ones left out.</summary>
    int ArgumentCount { get; }

    /// <summary>The future passed for argument <paramref name="index"/>, or <see langword="null"/> when a plain value was passed.</summary>
    /// <param name="index">The argument's position, from 0 to <see cref="ArgumentCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an argument's position.</exception>
    Future? GetArgumentFuture(int index);

    /// <summary>
    /// Writes the value of argument <paramref name="index"/> as JSON: the plain value, the method's default for an optional
    /// argument left out, or the result of the argument's future — which must have succeeded by now.
    /// </summary>
    /// <param name="index">The argument's position, from 0 to <see cref="ArgumentCount"/> - 1.</param>
    /// <param name="writer">Where the JSON goes.</param>
    /// <param name="options">Options whose type-info resolver knows the argument's type.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an argument's position.</exception>
    /// <exception cref="InvalidOperationException">The argument is a future that has not succeeded.</exception>
    void WriteArgument(int index, Utf8JsonWriter writer, JsonSerializerOptions options);

    /// <summary>Writes every argument (<see cref="WriteArgument"/>) as one JSON array, in order. Argument futures have succeeded by now.</summary>
    /// <param name="writer">Where the JSON goes.</param>
    /// <param name="options">Options whose type-info resolver knows the arguments' types.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An argument is a future that has not succeeded.</exception>
    void WriteArguments(Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteStartArray();
        for (int i = 0; i < ArgumentCount; i++)
        {
            WriteArgument(i, writer, options);
        }

        writer.WriteEndArray();
    }
}
