using Microsoft.CodeAnalysis;

namespace Pipelines.Benchmarks;

/// <summary>
/// The floor under any [Submittable] generator: ForAttributeWithMetadataName on the same attribute with a transform
/// that only reads the method's name. Timing it next to the real generator separates Roslyn's share from ours.
/// Driven in-process by <see cref="GeneratorRun"/> only; no compiler ever loads it.
/// </summary>
[Generator]
public sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Pipelines.SubmittableAttribute",
            predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
            transform: static (ctx, _) => ctx.TargetSymbol.Name);
        context.RegisterSourceOutput(names.Collect(), static (spc, all) => spc.AddSource("Floor.g.cs", $"// {all.Length}"));
    }
}
