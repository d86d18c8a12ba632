namespace Pipelines.Generator.Models;

/// <summary>
/// A parameter type whose stubs also take a collection of futures of its elements (<c>IEnumerable&lt;Future&lt;T&gt;&gt;</c>,
/// so arrays and lists of futures too), gathered when all complete and converted to the parameter's type.
/// </summary>
internal enum CollectionKind
{
    /// <summary>Not such a collection (or one the stubs do not gather: nullable, generic, of objects or futures).</summary>
    None,

    /// <summary><c>T[]</c>: <c>Futures.All</c>'s own result.</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c>: a list of the gathered results.</summary>
    List,

    /// <summary><c>IReadOnlyList&lt;T&gt;</c>: the gathered array.</summary>
    ReadOnlyList,

    /// <summary><c>IEnumerable&lt;T&gt;</c>: the gathered array.</summary>
    Enumerable,
}
