using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Pipelines.Tests.Shared;

/// <summary>
/// The snapshot rule every test project shares (compiled into each as a linked file): compares text with
/// <c>Snapshots/{Class}.{Test}.verified.txt</c> beside the test file; on a mismatch writes <c>.received.txt</c> and fails
/// at the first differing line; <c>UPDATE_SNAPSHOTS=1</c> accepts the new text; under CI a missing snapshot fails
/// instead of being created. Callers scrub what must not churn (line endings, versions, durations) first.
/// </summary>
internal static class SnapshotFile
{
    public static void Verify(string actual, string className, string testName, string testFile)
    {
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
}
