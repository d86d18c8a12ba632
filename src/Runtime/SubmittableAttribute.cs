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

    /// <summary>
    /// How many times a call that throws is run again, with a growing delay between tries (backoff); 0, the default, runs
    /// it once. Any exception but cancellation retries; a cancelled call is never rerun. When the last try throws, the
    /// future faults with that exception. Must not be negative (analyzer PIPE0106 reports it).
    /// </summary>
    public int Retries { get; set; }

    /// <summary>
    /// The exceptions <see cref="Retries"/> is for: a call that throws one of these types (or a type derived from one)
    /// runs again; any other exception faults it at once. Null, the default, retries any exception but cancellation.
    /// Each entry must be an accessible, closed exception type other than a cancellation, and <see cref="Retries"/> must
    /// be above 0 (analyzer PIPE0106 reports it). For example
    /// <c>[Submittable(Retries = 3, RetryOn = new[] { typeof(IOException), typeof(HttpRequestException) })]</c>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Attribute arguments can only be arrays.")]
    public Type[]? RetryOn { get; set; }

    /// <summary>
    /// How long one run of a call may take, in milliseconds: when the time is up its <c>CancellationToken</c> is signalled
    /// (a process pool kills its worker) and the future ends <see cref="FutureState.Cancelled"/>. 0, the default, means no
    /// limit. An executor's own limit (a process pool's <c>callTimeout</c>) is the same clock: the shorter of the two
    /// wins. The clock starts when the run does (on a process pool, when a worker serves the call: its start-up does not
    /// count). Must not be negative (analyzer PIPE0106 reports it).
    /// </summary>
    public int TimeoutMilliseconds { get; set; }

    /// <summary>
    /// How a call of the method is named in graphs, spans (<c>pipelines.label</c>) and the dashboard, to tell it from the
    /// method's other calls: literal text with <c>{parameter}</c> placeholders naming the method's parameters, e.g.
    /// <c>"{path}"</c> or <c>"page {page} of {site}"</c> (<c>{{</c> and <c>}}</c> for braces). A value is shown short and
    /// culture-invariant (a long one keeps its end); an argument passed as a future shows the label of the call that makes
    /// it, or its result. When not set, the label is the method's first argument of a simple type (a string, a number, an
    /// enum). A placeholder that names no parameter, or a malformed template, is an error (analyzer PIPE0106).
    /// </summary>
    public string? Label { get; set; }
}
