using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Pipelines.Benchmarks;

/// <summary>
/// The generators Pipelines' is measured against, loaded from the analyzer assemblies their NuGet packages ship
/// (copied to <c>anchors/</c> by the project file): CommunityToolkit.Mvvm's <c>[RelayCommand]</c> generator and
/// Microsoft.Extensions.Logging's <c>[LoggerMessage]</c> generator, each over 1,000 methods of the shapes their
/// users write, with a doc comment, as Pipelines' are.
/// </summary>
internal static class GeneratorAnchors
{
    /// <summary>CommunityToolkit.Mvvm 8.4.2: <c>[RelayCommand]</c> on instance methods of a partial class.</summary>
    public static GeneratorSubject Mvvm { get; } = new(
        "Mvvm [RelayCommand]",
        MvvmFile,
        ImmutableArray.Create<MetadataReference>(MetadataReference.CreateFromFile(typeof(CommunityToolkit.Mvvm.Input.RelayCommandAttribute).Assembly.Location)),
        () => Load("CommunityToolkit.Mvvm.SourceGenerators.dll", "CommunityToolkit.Mvvm.SourceGenerators.RelayCommandGenerator"),
        static (result, methods) => Expect(result, methods, "RelayCommand"));

    /// <summary>Microsoft.Extensions.Logging.Abstractions: <c>[LoggerMessage]</c> on static partial methods.</summary>
    public static GeneratorSubject Logging { get; } = new(
        "Logging [LoggerMessage]",
        LoggingFile,
        ImmutableArray.Create<MetadataReference>(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)),
        () => Load("Microsoft.Extensions.Logging.Generators.dll", "Microsoft.Extensions.Logging.Generators.LoggerMessageGenerator"),
        static (result, methods) => Expect(result, methods, "LoggerMessage"));

    private static ISourceGenerator Load(string file, string typeName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "anchors", file);
        Type type = Assembly.LoadFrom(path).GetType(typeName, throwOnError: true)!;
        object generator = Activator.CreateInstance(type)!;
        return generator as ISourceGenerator ?? ((IIncrementalGenerator)generator).AsSourceGenerator();
    }

    private static void Expect(GeneratorDriverRunResult result, int methods, string what)
    {
        int generated = result.GeneratedTrees.Sum(t => t.GetText().Length);
        if (generated < methods * 100)
        {
            throw new InvalidOperationException($"The {what} generator produced only {generated} characters for {methods} methods.");
        }
    }

    private static string MvvmFile(int file, int count, int bodyVariant, string salt)
    {
        var text = new StringBuilder();
        text.Append("using System.Threading;\nusing System.Threading.Tasks;\nusing CommunityToolkit.Mvvm.Input;\n\n");
        text.Append($"namespace Bench{salt}.Area{file % 4};\n\n");
        text.Append($"public partial class Commands{file}\n{{\n");
        for (int m = 0; m < count; m++)
        {
            string name = $"Work{file}_{m}";
            text.Append("    /// <summary>A method with a doc comment.</summary>\n");
            text.Append("    [RelayCommand]\n");
            text.Append((m % 4) switch
            {
                0 => $"    private void {name}(int a) {{ _ = a + {bodyVariant}; }}\n",
                1 => $"    private void {name}(string? text) {{ _ = (text ?? \"\") + {bodyVariant}; }}\n",
                2 => $"    private async Task {name}(long value, CancellationToken cancellationToken) {{ await Task.Delay((int)value + {bodyVariant}, cancellationToken); }}\n",
                _ => $"    private void {name}() {{ _ = {bodyVariant}; }}\n",
            });
            text.Append('\n');
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string LoggingFile(int file, int count, int bodyVariant, string salt)
    {
        var text = new StringBuilder();
        text.Append("using Microsoft.Extensions.Logging;\n\n");
        text.Append($"namespace Bench{salt}.Area{file % 4};\n\n");
        text.Append($"public static partial class Log{file}\n{{\n");
        text.Append($"    public static int Helper(int x) => x + {bodyVariant};\n\n");
        for (int m = 0; m < count; m++)
        {
            string name = $"Work{file}_{m}";
            text.Append("    /// <summary>A method with a doc comment.</summary>\n");
            text.Append((m % 3) switch
            {
                0 => $"    [LoggerMessage(EventId = {(file * 100) + m}, Level = LogLevel.Information, Message = \"Work {{A}} and {{B}}\")]\n    public static partial void {name}(ILogger logger, int a, string b);\n",
                1 => $"    [LoggerMessage(EventId = {(file * 100) + m}, Level = LogLevel.Warning, Message = \"Scaled {{Text}} by {{Scale}}\")]\n    public static partial void {name}(ILogger logger, string? text, double scale);\n",
                _ => $"    [LoggerMessage(EventId = {(file * 100) + m}, Level = LogLevel.Debug, Message = \"Value {{Value}}\")]\n    public static partial void {name}(ILogger logger, long value);\n",
            });
            text.Append('\n');
        }

        text.Append("}\n");
        return text.ToString();
    }
}
