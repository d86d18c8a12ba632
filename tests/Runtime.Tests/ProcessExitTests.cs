using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// Work still queued when the process exits is finished first, as Python does at interpreter exit; an executor can
/// opt out. A failure nobody observed is written to standard error unless a handler takes it. Each case runs
/// tests/ExitProbe, a program that submits work and returns from Main at once.
/// </summary>
public class ProcessExitTests
{
    [Theory]
    [InlineData("finish", "done 5")]
    [InlineData("opt-out", "done 0")]
    [InlineData("exit-inside-a-call", "done 1")]
    public void QueuedWorkIsFinishedWhenTheProcessExits(string mode, string expected)
    {
        (string output, _) = RunProbe(mode);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void AFailureNobodyObservedIsWrittenToStandardErrorOnceByDefault()
    {
        (string output, string error) = RunProbe("unobserved");
        Assert.Single(error.Split('\n'), line => line.Contains("was never observed", StringComparison.Ordinal));
        Assert.Contains("InvalidOperationException: nobody looked at this", error);
        Assert.DoesNotContain("handled", output);
    }

    [Fact]
    public void AnUnobservedExceptionHandlerReplacesTheStandardErrorReport()
    {
        (string output, string error) = RunProbe("unobserved-handled");
        Assert.Single(output.Split('\n'), line => line.Contains("handled nobody looked at this", StringComparison.Ordinal));
        Assert.DoesNotContain("was never observed", error);
    }

    private static (string Output, string Error) RunProbe(string mode)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExitProbe.dll"));
        start.ArgumentList.Add(mode);
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(Wait.Long), "the probe process did not exit");
        return (output, error.GetAwaiter().GetResult());
    }
}
