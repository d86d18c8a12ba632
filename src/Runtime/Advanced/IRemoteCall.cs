using System.ComponentModel;
using System.Text.Json;

namespace Pipelines.Advanced;

/// <summary>
/// Implemented by generated calls of static [Submittable] methods, so a process pool can run them in another
/// process: the method is named by a stable identity and its arguments travel as JSON. Serialization goes through
/// the <see cref="JsonSerializerOptions"/>' type-info resolver — a source-generated <c>JsonSerializerContext</c>
/// keeps it free of reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public interface IRemoteCall
{
    /// <summary>The method's identity: its documentation comment ID, e.g. <c>M:Demo.Jobs.Add(System.Int32,System.Int32)</c>.</summary>
    string MethodId { get; }

    /// <summary>Writes the arguments as a JSON array in parameter order (CancellationToken parameters left out). Argument futures have succeeded by now.</summary>
    void WriteArguments(Utf8JsonWriter writer, JsonSerializerOptions options);
}
