using System.ComponentModel;

// The one file whose namespace does not match its folder: the .NET startup-hook contract requires a type named
// exactly StartupHook in the global namespace, with a static Initialize(). It lives beside the worker loop it starts.
#pragma warning disable CA1050 // The runtime finds startup hooks by this exact name, outside any namespace.

/// <summary>
/// The .NET startup hook of Pipelines (<c>DOTNET_STARTUP_HOOKS</c>), set only in the environment of process-pool
/// workers: it serves calls before <c>Main</c> and outside any module initializer, so calls may use other threads
/// freely. Where startup hooks are disabled (trimmed or native-AOT applications), the generated module initializer
/// or an explicit <c>ProcessPoolExecutor.RunWorkerIfRequested()</c> in <c>Main</c> starts the worker instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
internal static class StartupHook
{
    /// <summary>Called by the runtime before <c>Main</c>.</summary>
    public static void Initialize() => Pipelines.ProcessPool.WorkerMain.RunFromStartupHook();
}
