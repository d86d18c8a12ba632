using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Pipelines.Benchmarks;

/// <summary>Runs a Python reference script with Debian's <c>python3</c> and reads the <c>name value</c> lines it prints.</summary>
public static class PythonScript
{
    /// <summary>
    /// Writes <paramref name="script"/> to a temporary file, runs it with <paramref name="arguments"/> and returns its
    /// output lines as name → value; null when python3 is absent or fails, with the reason in <paramref name="note"/>
    /// (<paramref name="skipped"/> names what is skipped when python3 is absent).
    /// </summary>
    public static Dictionary<string, string>? Run(string script, string fileStem, IEnumerable<string> arguments, string skipped, out string note)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{fileStem}-{Environment.ProcessId}.py");
        File.WriteAllText(path, script);
        try
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(path);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                note = $"python3 not found ({ex.Message}); {skipped}";
                return null;
            }

            using (process)
            {
                var error = process.StandardError.ReadToEndAsync(); // read beside the output: neither pipe may fill and stall the script
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    note = $"python3 failed (exit {process.ExitCode}): {error.GetAwaiter().GetResult().Trim()}";
                    return null;
                }

                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    string[] parts = line.Split(' ', 2);
                    values[parts[0]] = parts.Length > 1 ? parts[1] : "";
                }

                note = "";
                return values;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
