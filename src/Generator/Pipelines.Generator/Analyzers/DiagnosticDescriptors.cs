using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// Every diagnostic the analyzers report, in one place (CommunityToolkit's <c>DiagnosticDescriptors</c>). IDs
/// <c>PIPE0001</c>–<c>PIPE0099</c> are deadlock rules, <c>PIPE0100</c>–<c>PIPE0199</c> usage rules; each has a page
/// at <see cref="HelpLink"/> and a line in AnalyzerReleases.Unshipped.md. A rule that reports both from operation
/// actions and at compilation end has two descriptors with one ID: the second carries the
/// <see cref="WellKnownDiagnosticTags.CompilationEnd"/> tag the IDE needs to know when to ask for it.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string DeadlockCategory = "Pipelines.Deadlock";
    public const string UsageCategory = "Pipelines.Usage";

    public const string BlockingWaitInExecutorWorkId = "PIPE0001";
    public const string ShutdownInsideExecutorWorkId = "PIPE0002";
    public const string BlockingResultAsStubArgumentId = "PIPE0003";
    public const string BlockingWaitUnderLockOrInCallbackId = "PIPE0004";
    public const string DiscardedFutureId = "PIPE0100";
    public const string ByReferenceId = "PIPE0101";
    public const string RefLikeTypeId = "PIPE0102";
    public const string InaccessibleId = "PIPE0103";
    public const string StubCollisionId = "PIPE0104";
    public const string AsyncVoidId = "PIPE0105";
    public const string UnsupportedDeclarationId = "PIPE0106";
    public const string ProcessPoolSerializationId = "PIPE0107";
    public const string FutureOfTaskId = "PIPE0108";

    private const string BlockingWaitAdvice = "when every worker of the pool waits like this the pipeline deadlocks or starves — await it, or pass the future to a stub";
    private const string BlockingWaitDescription = "Code that runs on an executor should not wait synchronously for other futures or tasks: the waiting worker cannot run the work it waits for. Await the future in an async method, or pass it to a generated stub, which unwraps it when it completes without blocking a thread.";
    private const string ShutdownAdvice = "the runtime lets the worker help run that work, so it neither throws nor hangs, but the worker is held until then — await ShutdownAsync() instead, or shut the executor down from outside its own work";
    private const string ShutdownDescription = "Shutdown(wait: true), Dispose() and the end of a using block return when every call the executor accepted has finished. Called from inside work, the worker stops accepting new work, helps run the rest, and is held until all of it has finished. Await ShutdownAsync()/DisposeAsync(), or shut down from the code that owns the executor.";
    private const string LockOrCallbackDescription = "A thread that holds a lock and waits for a future deadlocks as soon as the future's work needs that lock. An OnDone callback runs on the thread that completed the future; blocking it stalls a worker and every callback queued after it. Only the callback's own future is known to be complete there.";

    /// <summary>The documentation page of a rule.</summary>
    public static string HelpLink(string id) => $"https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/{id}.md";

    public static readonly DiagnosticDescriptor BlockingWaitInExecutorWork = Create(
        BlockingWaitInExecutorWorkId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not block on a future or task inside work that runs on an executor",
        "'{0}' blocks a worker thread inside {1}; " + BlockingWaitAdvice,
        BlockingWaitDescription);

    /// <summary>PIPE0001 for a wait reached through calls: '{0}' the wait, '{1}' its method, '{2}' the path from the work.</summary>
    public static readonly DiagnosticDescriptor BlockingWaitReachedFromExecutorWork = Create(
        BlockingWaitInExecutorWorkId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not block on a future or task inside work that runs on an executor",
        "'{0}' blocks a worker thread in '{1}', which runs on an executor: {2}; " + BlockingWaitAdvice,
        BlockingWaitDescription,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor ShutdownInsideExecutorWork = Create(
        ShutdownInsideExecutorWorkId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not shut down or dispose an executor with waiting inside executor work",
        "'{0}' inside {1} holds this worker until all other work the executor accepted has finished; " + ShutdownAdvice,
        ShutdownDescription);

    /// <summary>PIPE0002 for a shutdown reached through calls: '{0}' the shutdown, '{1}' its method, '{2}' the path.</summary>
    public static readonly DiagnosticDescriptor ShutdownReachedFromExecutorWork = Create(
        ShutdownInsideExecutorWorkId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not shut down or dispose an executor with waiting inside executor work",
        "'{0}' in '{1}', which runs on an executor ({2}), holds the worker until all other work the executor accepted has finished; " + ShutdownAdvice,
        ShutdownDescription,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor BlockingResultAsStubArgument = Create(
        BlockingResultAsStubArgumentId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Pass the future to the stub instead of its blocking result",
        "'{0}' blocks the caller until the future completes before '{1}' can even be queued; pass the future itself — the stub unwraps it without blocking a thread",
        "Generated Submit…/Then… stubs accept a future for every parameter and start the call when the future completes. Taking its result first blocks the calling thread (on a pool, a worker) and removes the parallelism the pipeline was built for.");

    public static readonly DiagnosticDescriptor BlockingWaitUnderLockOrInCallback = Create(
        BlockingWaitUnderLockOrInCallbackId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not block on a future while holding a lock or inside an OnDone callback",
        "'{0}' blocks {1}",
        LockOrCallbackDescription);

    /// <summary>PIPE0004 for a wait reached through calls: '{0}' the wait, '{1}' its method, '{2}' where it blocks, with the path and the advice.</summary>
    public static readonly DiagnosticDescriptor BlockingWaitReachedUnderLockOrInCallback = Create(
        BlockingWaitUnderLockOrInCallbackId,
        DeadlockCategory,
        DiagnosticSeverity.Warning,
        "Do not block on a future while holding a lock or inside an OnDone callback",
        "'{0}' in '{1}' blocks {2}",
        LockOrCallbackDescription,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor DiscardedFuture = Create(
        DiscardedFutureId,
        UsageCategory,
        DiagnosticSeverity.Warning,
        "Observe the future a submission returns",
        "The future returned by '{0}' is discarded, so an exception thrown by the work is never observed; await it, keep it and wait for it later, or discard it explicitly with '_ ='",
        "A future is the only place a submitted call's exception goes. Dropping it on the floor makes failures silent. Await it, keep it for Futures.Wait/AsCompleted, or write '_ = …' to say the loss is intended.");

    public static readonly DiagnosticDescriptor ByReference = CreateSignatureRule(
        ByReferenceId,
        "[Submittable] method passes data by reference",
        "[Submittable] method '{0}' {1}: a call on another thread cannot share the caller's variables; return the value instead (for several values, return a tuple or record)");

    public static readonly DiagnosticDescriptor RefLikeType = CreateSignatureRule(
        RefLikeTypeId,
        "[Submittable] method uses a type that cannot be stored",
        "[Submittable] method '{0}' {1}");

    public static readonly DiagnosticDescriptor Inaccessible = CreateSignatureRule(
        InaccessibleId,
        "[Submittable] method is not accessible to its stubs",
        "[Submittable] method '{0}' is not accessible from the generated stubs: {1}; make it internal or public");

    public static readonly DiagnosticDescriptor StubCollision = CreateSignatureRule(
        StubCollisionId,
        "A [Submittable] method's stubs collide with another name",
        "[Submittable] methods '{0}' and '{1}' both produce 'Submit{2}' with the same parameters in namespace '{3}'; give one a different stub name with [Submittable(Name = \"...\")]",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PIPE0104 for a generated name that is already the user's: '{1}' says which and what has it, with the fix.</summary>
    public static readonly DiagnosticDescriptor GeneratedNameTaken = CreateSignatureRule(
        StubCollisionId,
        "A [Submittable] method's stubs collide with another name",
        "[Submittable] method '{0}' has no stubs: {1}");

    public static readonly DiagnosticDescriptor AsyncVoid = CreateSignatureRule(
        AsyncVoidId,
        "[Submittable] method is async void",
        "[Submittable] method '{0}' is async void: its future would complete before its work and its exceptions would crash the process; return Task instead");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = CreateSignatureRule(
        UnsupportedDeclarationId,
        "[Submittable] is not supported here",
        "[Submittable] on '{0}' is not supported: {1}");

    public static readonly DiagnosticDescriptor ProcessPoolSerialization = Create(
        ProcessPoolSerializationId,
        UsageCategory,
        DiagnosticSeverity.Warning,
        "Argument or result cannot travel to a process pool",
        "'{0}' cannot run in a process pool: {1}; {2}, or submit this call to a ThreadPoolExecutor",
        "A ProcessPoolExecutor runs static, non-generic [Submittable] methods in worker processes and sends their arguments and results as System.Text.Json. Behaviour (delegates), handles (pointers, streams, IntPtr), reflection metadata and types JSON cannot create (object, dynamic, abstract classes, most interfaces) do not survive the trip: the call fails at run time or the method receives something else.");

    public static readonly DiagnosticDescriptor FutureOfTask = Create(
        FutureOfTaskId,
        UsageCategory,
        DiagnosticSeverity.Warning,
        "A future should hold a result, not a task",
        "'{0}' gives {1}: the executor counts the call as done as soon as the task exists, so the future completes before the work does and the task's exception is never observed; {2}",
        "An async lambda bound to a synchronous overload (Submit<T>(Func<T>) with T = Task<…>, or Map over an async function) runs only until its first await: the future or the map result holds the task, completes at once and never reports the task's failure. Submit async work through an async overload or an async [Submittable] method, so the future holds the awaited result.");

    private static DiagnosticDescriptor CreateSignatureRule(string id, string title, string message, params string[] tags)
        => Create(id, UsageCategory, DiagnosticSeverity.Error, title, message, description: null, tags);

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message, string? description, params string[] tags) => new(
        id,
        title,
        message,
        category,
        severity,
        isEnabledByDefault: true,
        description: description,
        helpLinkUri: HelpLink(id),
        customTags: tags);
}
