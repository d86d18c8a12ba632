using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Pipelines.Tests.Shared;

/// <summary>
/// Finds a program a test needs from Debian's packages (a browser, a membership store) and, when it is missing and the
/// tests run as root on a machine with <c>apt-get</c>, installs it, so that <c>dotnet test Pipelines.sln</c> on a
/// fresh machine runs those tests instead of skipping them. Test assemblies run in parallel processes, so the install
/// waits for dpkg's own lock instead of failing on it. Compiled into each test project that needs it as a linked file.
/// </summary>
internal static class DebianPackages
{
    private static readonly string[] SearchDirectories = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"];
    private static readonly object Gate = new();

    /// <summary>
    /// The full path of <paramref name="program"/>, installing <paramref name="packages"/> first when it is not found.
    /// Throws with what to do when it cannot be found or installed: the tests that need it fail, they are never skipped.
    /// </summary>
    public static string Require(string program, params string[] packages)
    {
        lock (Gate)
        {
            if (Find(program) is { } found)
            {
                return found;
            }

            string log = Install(packages);
            return Find(program) ?? throw new InvalidOperationException(
                $"'{program}' is not installed and installing it failed. Install it by hand: apt-get install -y {string.Join(' ', packages)}\n{log}");
        }
    }

    /// <summary>The full path of <paramref name="program"/> on PATH or in the usual directories, or null.</summary>
    public static string? Find(string program)
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return path.Concat(SearchDirectories)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    private static string Install(string[] packages)
    {
        if (!OperatingSystem.IsLinux() || Find("apt-get") is not { } aptGet)
        {
            return "(this machine has no apt-get)";
        }

        // Wait for another process's apt-get instead of failing on the lock; refresh the package lists only when the
        // first attempt cannot find the packages (a fresh container has none).
        string install = $"-o DPkg::Lock::Timeout=900 install -y --no-install-recommends {string.Join(' ', packages)}";
        (int code, string output) = Run(aptGet, install);
        if (code != 0)
        {
            (_, string update) = Run(aptGet, "-o DPkg::Lock::Timeout=900 update");
            (code, string retry) = Run(aptGet, install);
            output += update + retry;
        }

        return output;
    }

    private static (int ExitCode, string Output) Run(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using Process process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)TimeSpan.FromMinutes(20).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} {arguments} took over 20 minutes and was stopped.\n{output}");
        }

        process.WaitForExit(); // returns after the output handlers have seen the end of both streams
        lock (output)
        {
            return (process.ExitCode, $"$ {program} {arguments} (exit {process.ExitCode})\n{output}");
        }
    }
}
