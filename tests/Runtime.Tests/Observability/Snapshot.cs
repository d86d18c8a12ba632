using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipelines.Tests.Observability;

/// <summary>
/// Compares text with <c>Snapshots/{Class}.{Test}.verified.txt</c> beside the test file (the generator tests' helper, for
/// the runtime): durations are scrubbed to <c>{duration}</c>; on a mismatch it writes <c>.received.txt</c> and fails at
/// the first differing line; <c>UPDATE_SNAPSHOTS=1</c> accepts the new text; under CI a missing snapshot fails.
/// </summary>
internal static partial class Snapshot
{
    public static void Verify(string actual, string className, [CallerMemberName] string testName = "", [CallerFilePath] string testFile = "")
    {
        actual = Durations().Replace(actual.Replace("\r\n", "\n"), "{duration}");
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string verified = Path.Combine(directory, $"{className}.{testName}.verified.txt");
        string received = Path.Combine(directory, $"{className}.{testName}.received.txt");

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail($"Snapshot {verified} is missing. Run the tests locally with UPDATE_SNAPSHOTS=1 and commit it.");
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            return;
        }

        string expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        Assert.Fail(
            $"Snapshot mismatch at line {line + 1} of {verified}:\n" +
            $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end>")}\n" +
            $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end>")}\n" +
            $"Received text written to {received}; run with UPDATE_SNAPSHOTS=1 to accept.");
    }

    [GeneratedRegex(@"\d+(\.\d+)? (µs|ms|s)\b")]
    private static partial Regex Durations();
}
