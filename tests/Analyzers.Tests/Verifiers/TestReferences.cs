using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Pipelines.Analyzers.Tests.Verifiers;

/// <summary>
/// What test sources compile against. The build machine is offline apart from the package registry, and the
/// Pipelines runtime under test is built for net10.0, so instead of <c>ReferenceAssemblies.Net.Net80</c> (a
/// download, and one framework version behind the runtime assembly) the tests use the net10.0 reference pack
/// that ships with the SDK running them, falling back to the running runtime's own assemblies.
/// </summary>
internal static class TestReferences
{
    /// <summary>An empty reference set: the framework comes from <see cref="Framework"/> instead.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> Framework { get; } = LoadFramework();

    public static MetadataReference Pipelines { get; } = MetadataReference.CreateFromFile(typeof(global::Pipelines.Future).Assembly.Location);

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string version = new DirectoryInfo(runtimeDirectory).Name;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string packDirectory = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net" + Environment.Version.ToString(2));
        if (Directory.Exists(packDirectory))
        {
            return Directory.GetFiles(packDirectory, "*.dll")
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToImmutableArray();
        }

        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
