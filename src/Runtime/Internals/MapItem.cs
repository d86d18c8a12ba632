using System.ComponentModel;
using System.Text.Json;

namespace Pipelines.Internals;

/// <summary>Reads one item of a map chunk at the reader's current token and runs the method on it (generated chunk entries).</summary>
/// <typeparam name="TResult">The method's result (a task of it for asynchronous methods).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate TResult MapItem<TResult>(ref Utf8JsonReader reader);
