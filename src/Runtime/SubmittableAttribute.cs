using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// Marks a method for which the Pipelines generator emits typed stubs: <c>executor.Submit{Name}(…)</c> on
/// <see cref="IExecutor"/> and <c>future.Then{Name}(…)</c> on a future of the first parameter. Every stub
/// parameter accepts a value or a future of it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class SubmittableAttribute : Attribute
{
    /// <summary>The stub name after <c>Submit</c>/<c>Then</c>; the method's name when not set.</summary>
    public string? Name { get; set; }
}
