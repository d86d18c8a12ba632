using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Pipelines.Tests.Shared;

namespace Pipelines.Tests.Observability;

/// <summary>
/// Compares text with <c>Snapshots/{Class}.{Test}.verified.txt</c> beside the test file with durations scrubbed to
/// <c>{duration}</c>; the rule itself is <see cref="SnapshotFile"/>, shared with the generator tests.
/// </summary>
internal static partial class Snapshot
{
    public static void Verify(string actual, string className, [CallerMemberName] string testName = "", [CallerFilePath] string testFile = "") =>
        SnapshotFile.Verify(Durations().Replace(actual.Replace("\r\n", "\n"), "{duration}"), className, testName, testFile);

    [GeneratedRegex(@"\d+(\.\d+)? (µs|ms|s)\b")]
    private static partial Regex Durations();
}
