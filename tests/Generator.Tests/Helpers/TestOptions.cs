using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Pipelines.Generator.Tests.Helpers;

/// <summary>Global analyzer config options, as MSBuild hands <c>CompilerVisibleProperty</c> values to generators.</summary>
internal sealed class TestOptions(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(globals);

    public override AnalyzerConfigOptions GlobalOptions => _global;

    /// <summary>An MSBuild property as the generator sees it: <c>build_property.{name}</c>.</summary>
    public static TestOptions WithProperty(string name, string value) => new(new Dictionary<string, string> { ["build_property." + name] = value });

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
