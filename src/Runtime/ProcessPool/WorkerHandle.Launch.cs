using System;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Linq;

namespace Pipelines.ProcessPool;

// Launch: which program a worker is (this application started again) and how it is started, with its pipes and
// the environment that makes it serve.
internal sealed partial class WorkerHandle
{
    // Serializes starts: a child inherits every inheritable handle open at that moment, and a worker must not hold
    // another worker's pipe ends (it would keep that worker's pipe open after its death).
    private static readonly object s_startLock = new();

    /// <summary>How to start this application again: its apphost, or <c>dotnet</c> plus the entry assembly.</summary>
    internal static (string FileName, string[] Arguments) ResolveCommand(ProcessPoolOptions options)
    {
        if (options.WorkerExecutable is not null)
        {
            return (options.WorkerExecutable, options.WorkerArguments.ToArray());
        }

        string processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("The path of this process's executable is unknown; set ProcessPoolOptions.WorkerExecutable.");
        string host = Path.GetFileNameWithoutExtension(processPath);
        if (!host.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return (processPath, Array.Empty<string>()); // an apphost or a native executable: it is the application
        }

        // `dotnet app.dll`: the host is dotnet; start it with the same entry assembly.
        string[] commandLine = Environment.GetCommandLineArgs();
        if (commandLine.Length > 0 && commandLine[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(commandLine[0]))
        {
            return (processPath, new[] { commandLine[0] });
        }

        string? entryName = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        string candidate = Path.Combine(AppContext.BaseDirectory, entryName + ".dll");
        if (entryName is not null && File.Exists(candidate))
        {
            return (processPath, new[] { candidate });
        }

        throw new InvalidOperationException("This application runs under 'dotnet' but its entry assembly could not be found; set ProcessPoolOptions.WorkerExecutable and WorkerArguments.");
    }

    /// <summary>Starts a worker process running <paramref name="fileName"/>.</summary>
    public static WorkerHandle Start(ProcessPoolExecutor pool, string fileName, string[] arguments, string? jsonContext, TimeSpan startTimeout)
    {
        lock (s_startLock)
        {
            var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
            var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
            Process? process = null;
            try
            {
                var startInfo = new ProcessStartInfo(fileName)
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,

                    // The worker watches its standard input: when this process dies, the pipe ends and the worker exits.
                    RedirectStandardInput = true,
                };
                foreach (string argument in arguments)
                {
                    startInfo.ArgumentList.Add(argument);
                }

                startInfo.Environment[WorkerMain.ChannelVariable] = $"{toWorker.GetClientHandleAsString()};{fromWorker.GetClientHandleAsString()}";
                // Serve from Pipelines' startup hook when possible: before Main and outside the application's module
                // initializer, whose class-constructor lock would block any other thread that touches the application.
                if (WorkerMain.StartupHookPath() is { } hook)
                {
                    string? hooks = startInfo.Environment.TryGetValue(WorkerMain.StartupHooksVariable, out string? existing) ? existing : null;
                    startInfo.Environment[WorkerMain.StartupHooksVariable] = string.IsNullOrEmpty(hooks) ? hook : hooks + Path.PathSeparator + hook;
                }

                if (jsonContext is null)
                {
                    startInfo.Environment.Remove(WorkerMain.JsonContextVariable);
                }
                else
                {
                    startInfo.Environment[WorkerMain.JsonContextVariable] = jsonContext;
                }

                process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Process.Start returned no process for '{fileName}'.");
            }
            catch
            {
                toWorker.Dispose();
                fromWorker.Dispose();
                throw;
            }
            finally
            {
                toWorker.DisposeLocalCopyOfClientHandle();
                fromWorker.DisposeLocalCopyOfClientHandle();
            }

            return new WorkerHandle(pool, process, toWorker, fromWorker, startTimeout);
        }
    }
}
