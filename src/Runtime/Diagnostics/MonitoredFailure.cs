using System;
using System.Collections.Generic;

namespace Pipelines.Diagnostics;

/// <summary>A call that threw while the monitor recorded, and the calls its exception took down.</summary>
public sealed class MonitoredFailure
{
    internal MonitoredFailure(string method, string? label, string exceptionType, string message)
    {
        Method = method;
        Label = label;
        ExceptionType = exceptionType;
        Message = message;
    }

    /// <summary>The method of the call that threw (or, when the exception came from a future that is not a call, of the first call it failed).</summary>
    public string Method { get; }

    /// <summary>The call's label, or null.</summary>
    public string? Label { get; }

    /// <summary>The exception's type name, e.g. <c>IOException</c>.</summary>
    public string ExceptionType { get; }

    /// <summary>The exception's message.</summary>
    public string Message { get; }

    /// <summary>When it threw.</summary>
    public DateTimeOffset Time { get; internal init; }

    /// <summary>False when the exception did not come from a call the monitor saw run (a faulted future passed in, or a call started before the monitor).</summary>
    public bool Threw { get; internal init; }

    /// <summary>How many calls of each method faulted without running because of this exception (by <see cref="MonitoredMethod.Name"/>).</summary>
    public IReadOnlyDictionary<string, long> TookDown { get; internal init; } = new Dictionary<string, long>();

    /// <summary>Labels of the first few calls it took down.</summary>
    public IReadOnlyList<string> TookDownLabels { get; internal init; } = Array.Empty<string>();

    /// <summary>E.g. <c>Fetch b.html threw IOException: not found</c>.</summary>
    public override string ToString() => $"{Method}{(Label is null ? "" : " " + Label)} threw {ExceptionType}: {Message}";
}
