using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Pipelines.Tests;

/// <summary>
/// Work still queued when the process exits is finished first, as Python does at interpreter exit; an executor can
/// opt out. Each case runs tests/ExitProbe, a program that submits slow work and returns from Main at once.
/// </summary>
public class ProcessExitTests
{
    [Theory]
    [InlineData("finish", "done 5")]
    [InlineData("opt-out", "done 0")]
    [InlineData("exit-inside-a-call", "done 1")]
    public void QueuedWorkIsFinishedWhenTheProcessExits(string mode, string expected)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExitProbe.dll"));
        start.ArgumentList.Add(mode);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(Wait.Long), "the probe process did not exit");
        Assert.Contains(expected, output);
    }
}
