using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Pipelines.ProcessPoolTests;

internal static class Wait
{
    /// <summary>Long enough that only a real hang hits it, even on a loaded two-core machine.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static void Until(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, Long), $"Timed out waiting until {what}.");

    /// <summary>A path in the temp folder that does not exist yet.</summary>
    public static string NewFilePath() => Path.Combine(Path.GetTempPath(), $"pipelines-pp-{Guid.NewGuid():N}");

    /// <summary>True if no process with that id is running (exited and reaped).</summary>
    public static bool HasExited(int processId)
    {
        try
        {
            using Process process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
