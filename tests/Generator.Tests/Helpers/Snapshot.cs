using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Pipelines.Generator.Tests.Helpers;

/// <summary>
/// Compares text with <c>Snapshots/{Class}.{Test}.verified.txt</c> beside the test file. On a mismatch it writes
/// <c>.received.txt</c> and fails at the first differing line; <c>UPDATE_SNAPSHOTS=1</c> accepts the new text; under
/// CI a missing snapshot fails instead of being created.
/// </summary>
internal static class Snapshot
{
    public static void Verify(GeneratorDriverRunResult result, string className, [CallerMemberName] string testName = "", [CallerFilePath] string testFile = "")
    {
        var text = new StringBuilder();
        foreach (GeneratedSourceResult source in result.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            text.Append("// ---- ").Append(source.HintName).Append(" ----\n").Append(source.SourceText.ToString()).Append('\n');
        }

        foreach (Diagnostic diagnostic in result.Diagnostics.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            text.Append("// ---- diagnostic ----\n").Append(diagnostic).Append('\n');
        }

        Verify(text.ToString(), className, testName, testFile);
    }

    public static void Verify(string actual, string className, string testName, string testFile)
    {
        actual = Scrub(actual);
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string verified = Path.Combine(directory, $"{className}.{testName}.verified.txt");
        string received = Path.ChangeExtension(verified, null).Replace(".verified", ".received") + ".txt";

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

    /// <summary>Line endings and the generator version must not make snapshots churn.</summary>
    private static string Scrub(string text) =>
        Regex.Replace(text.Replace("\r\n", "\n"), "\"Pipelines\\.Generator\", \"[0-9.]+\"", "\"Pipelines.Generator\", \"{version}\"");
}
