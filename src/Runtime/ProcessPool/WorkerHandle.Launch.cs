using System;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Threading;

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

    /// <summary>Starts a worker process and sends it its Hello; returns at once (the worker says Ready when it serves).</summary>
    public static WorkerHandle Start(ProcessPoolExecutor pool, WorkerLaunch launch)
    {
        string token = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"); // proves this process to the worker
        WorkerHandle handle;
        lock (s_startLock)
        {
            var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
            var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);

            // Only the worker's ends are for the worker: this process's ends are kept from every process started later.
            Unix.SetCloseOnExec(toWorker.SafePipeHandle.DangerousGetHandle());
            Unix.SetCloseOnExec(fromWorker.SafePipeHandle.DangerousGetHandle());
            Process? process = null;
            try
            {
                var startInfo = new ProcessStartInfo(launch.FileName)
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,

                    // The worker watches its standard input: when this process dies, the pipe ends and the worker exits.
                    RedirectStandardInput = true,
                };
                foreach (string argument in launch.Arguments)
                {
                    startInfo.ArgumentList.Add(argument);
                }

                startInfo.Environment[WorkerMain.ChannelVariable] = $"{toWorker.GetClientHandleAsString()};{fromWorker.GetClientHandleAsString()};{token}";

                // Serve from Pipelines' startup hook when possible: before Main and outside the application's module
                // initializer, whose class-constructor lock would block any other thread that touches the application.
                if (WorkerMain.StartupHookPath() is { } hook)
                {
                    string? hooks = startInfo.Environment.TryGetValue(WorkerMain.StartupHooksVariable, out string? existing) ? existing : null;
                    startInfo.Environment[WorkerMain.StartupHooksVariable] = string.IsNullOrEmpty(hooks) ? hook : hooks + Path.PathSeparator + hook;
                }

                process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Process.Start returned no process for '{launch.FileName}'.");
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

            handle = new WorkerHandle(pool, process, toWorker, fromWorker, launch);
        }

        handle.SendHello(token, launch);
        return handle;
    }

    private WorkerHandle(ProcessPoolExecutor pool, Process process, AnonymousPipeServerStream toWorker, AnonymousPipeServerStream fromWorker, WorkerLaunch launch)
    {
        _pool = pool;
        _process = process;
        _fromWorker = fromWorker;
        _maxFrameLength = launch.MaxFrameLength;
        _startTimeout = launch.StartTimeout;
        ProcessId = process.Id;
        _sender = new FrameSender(toWorker, $"{pool.Name} worker {ProcessId} writer");
        _startTimer = new Timer(static state => ((WorkerHandle)state!).OnStartTimeout(), this, launch.StartTimeout, Timeout.InfiniteTimeSpan);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"{pool.Name} worker {ProcessId}" };
        _reader.UnsafeStart();
        try
        {
            // The exit decides a call's outcome even when a process the worker started holds the pipe open.
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => OnProcessExited();
        }
        catch (InvalidOperationException)
        {
            // It exited already; the reader reports it.
        }
    }

    private void SendHello(string token, WorkerLaunch launch)
    {
        lock (_writer)
        {
            _writer.Begin(FrameKind.Hello);
            _writer.WriteString(token);
            _writer.WriteString(launch.JsonContext);
            _writer.WriteInt32(launch.MaxFrameLength);
            _writer.WriteString(launch.Initializer?.MethodId);
            if (launch.Initializer is not null)
            {
                _writer.WriteBlock(launch.InitializerArguments);
            }

            _writer.Finish(launch.MaxFrameLength);
            _sender.Send(_writer.Frame);
        }
    }
}

/// <summary>What every worker of one pool is started with.</summary>
/// <param name="FileName">The program: this application again, or <see cref="ProcessPoolOptions.WorkerExecutable"/>.</param>
/// <param name="Arguments">Its command-line arguments.</param>
/// <param name="JsonContext">The assembly-qualified name of the pool's source-generated JSON context, or null.</param>
/// <param name="Initializer">What each worker runs before its first call, or null.</param>
/// <param name="InitializerArguments">The initializer's arguments as a JSON array (empty without one).</param>
/// <param name="MaxFrameLength">The largest message either side accepts.</param>
/// <param name="StartTimeout">How long a worker may take to say Ready.</param>
internal sealed record WorkerLaunch(string FileName, string[] Arguments, string? JsonContext, ProcessPoolInitializer? Initializer, byte[] InitializerArguments, int MaxFrameLength, TimeSpan StartTimeout);
