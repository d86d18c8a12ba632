using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Pipelines.Tests.Shared;

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

    public static void Verify(string actual, string className, string testName, string testFile) =>
        SnapshotFile.Verify(Scrub(actual), className, testName, testFile);

    /// <summary>Line endings and the generator version must not make snapshots churn.</summary>
    private static string Scrub(string text) =>
        Regex.Replace(text.Replace("\r\n", "\n"), "\"Pipelines\\.Generator\", \"[0-9.]+\"", "\"Pipelines.Generator\", \"{version}\"");
}
