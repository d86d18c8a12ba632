using System.ComponentModel;

namespace Pipelines.Internals;

/// <summary>
/// The result type of calls that return nothing. Their futures are typed as the non-generic <see cref="Future"/>;
/// this type only appears in generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VoidResult
{
}
