namespace Pipelines.Diagnostics;

/// <summary>
/// Where the runtime reports a call's life to tracing, metrics, progress and graphs. Each hook is one static read
/// when nothing listens: the core calls them behind <see cref="IsEnabled"/>.
/// </summary>
internal static class Telemetry
{
    /// <summary>True while anything listens (an ActivityListener on "Pipelines", a MeterListener, a graph recording).</summary>
    public static volatile bool IsEnabled;

    /// <summary>A call was accepted by its executor (on the submitting thread, before its arguments are stored).</summary>
    public static void CallSubmitted(Future call)
    {
    }

    /// <summary>A call will wait for <paramref name="argument"/> (a future argument, pending or done).</summary>
    public static void ArgumentAdded(Future call, Future argument)
    {
    }

    /// <summary>A call started running (on the thread that runs it, or on the thread that sent it to a remote executor).</summary>
    public static void CallStarted(Future call)
    {
    }

    /// <summary>A call reached its terminal state (before its continuations run).</summary>
    public static void CallCompleted(Future call)
    {
    }
}
