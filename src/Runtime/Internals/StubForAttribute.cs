using System;
using System.ComponentModel;
using Pipelines.Remoting;

namespace Pipelines.Internals;

/// <summary>
/// Marks a generated <c>Submit…</c>/<c>Then…</c> stub with the [Submittable] method it calls, so analyzers can
/// reason about the method (for example, whether its arguments can travel to a process pool).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class StubForAttribute : Attribute
{
    /// <summary>Marks a stub.</summary>
    /// <param name="methodId">The method's documentation comment ID.</param>
    /// <param name="runsInProcessPools">Whether the generated call implements <see cref="IRemoteCall"/>.</param>
    public StubForAttribute(string methodId, bool runsInProcessPools)
    {
        MethodId = methodId;
        RunsInProcessPools = runsInProcessPools;
    }

    /// <summary>The method's documentation comment ID.</summary>
    public string MethodId { get; }

    /// <summary>Whether the generated call implements <see cref="IRemoteCall"/> (static, non-generic methods).</summary>
    public bool RunsInProcessPools { get; }
}
