using System;

namespace Pipelines.Orleans;

/// <summary>Why the outcome of a call on an Orleans cluster is unknown.</summary>
public enum ClusterCallLostReason
{
    /// <summary>Not lost (the default value; never carried by an exception).</summary>
    None = 0,

    /// <summary>The silo that held the call died or shut down: the call may or may not have run.</summary>
    SiloLost = 1,

    /// <summary>No answer came within the call timeout: the call may still be running somewhere, or may never have run.</summary>
    Timeout = 2,

    /// <summary>
    /// The shard that should hold the call's result does not: its silo was lost after the call finished, or the result
    /// was released or expired (see <c>PipelinesSiloOptions.ResultTimeToLive</c>).
    /// </summary>
    NotHeld = 3,

    /// <summary>The call could not be delivered to any silo within the delivery timeout; it did not run.</summary>
    Undeliverable = 4,

    /// <summary>The local Orleans client stopped (or refused to send) while the call was under way: it may or may not have run.</summary>
    ClientStopped = 5,
}

/// <summary>
/// The outcome of a call on an Orleans cluster is unknown: the silo that ran it died, no answer came in time, or the
/// result it produced is gone. The call may have run, partly or wholly, so it is not re-run unless the method opts into
/// retries (<c>[Submittable(Retries = n)]</c>, which retries it like any other exception unless <c>RetryOn</c> leaves it out).
/// </summary>
/// <remarks>
/// This call was lost, and only this one: the executor is not broken (not a <see cref="BrokenExecutorException"/>). The
/// cluster goes on without the silo, so later submits run on the silos alive then, and
/// <see cref="Executor.IsBroken"/> stays false.
/// </remarks>
public class ClusterCallLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterCallLostException()
        : base("A call on the Orleans cluster was lost: its outcome is unknown.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ClusterCallLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ClusterCallLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one lost call.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="reason">Why the outcome is unknown.</param>
    /// <param name="callId">The cluster call id, for logs.</param>
    /// <param name="methodId">The method's documentation id, if known.</param>
    /// <param name="argumentIndex">For a call that did not run because an argument's result was lost: that argument's index.</param>
    /// <param name="silo">The silo that held the call, if known.</param>
    /// <param name="innerException">What went wrong underneath, if anything (for example, the Orleans exception).</param>
    public ClusterCallLostException(string message, ClusterCallLostReason reason, string? callId, string? methodId, int? argumentIndex = null, string? silo = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        CallId = callId;
        MethodId = methodId;
        ArgumentIndex = argumentIndex;
        Silo = silo;
    }

    /// <summary>Why the outcome is unknown.</summary>
    public ClusterCallLostReason Reason { get; }

    /// <summary>The cluster call id, if known.</summary>
    public string? CallId { get; }

    /// <summary>The method's documentation id, e.g. <c>M:Demo.Jobs.Add(System.Int32,System.Int32)</c>, if known.</summary>
    public string? MethodId { get; }

    /// <summary>Set when the call itself did not run because the result of this argument (0-based) was lost.</summary>
    public int? ArgumentIndex { get; }

    /// <summary>The silo that held the call, if known.</summary>
    public string? Silo { get; }
}
