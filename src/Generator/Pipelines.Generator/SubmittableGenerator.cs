using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>
/// Emits typed <c>Submit…</c>/<c>Then…</c> stubs for every [Submittable] method. Invalid methods are skipped
/// here and reported by <see cref="Diagnostics.SubmittableSignatureAnalyzer"/>, so this output stays cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SubmittableGenerator : IIncrementalGenerator
{
    internal const string AttributeName = "Pipelines.SubmittableAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Project the compilation to one bool: a cached step that changes only when the reference does.
        IncrementalValueProvider<bool> runtimeReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("Pipelines.Advanced.CallFuture`1") is not null)
            .WithTrackingName(TrackingNames.RuntimeReferenced);

        IncrementalValuesProvider<SubmittableMethod> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                transform: SubmittableParser.Parse)
            .Where(static method => method is not null)
            .Select(static (method, _) => method!)
            .WithTrackingName(TrackingNames.Methods);

        // Two methods whose stubs would clash are both skipped (PIPE0104 says why) rather than emitted uncompilable.
        IncrementalValueProvider<EquatableArray<string>> collisions = methods
            .Select(static (method, _) => method.CollisionKey)
            .Collect()
            .Select(static (keys, _) => keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.Collisions);

        IncrementalValuesProvider<(SubmittableMethod Method, bool Emit)> emitted = methods
            .Combine(collisions)
            .Combine(runtimeReferenced)
            .Select(static (input, _) => (input.Left.Left, input.Right && !input.Left.Right.Contains(input.Left.Left.CollisionKey)))
            .WithTrackingName(TrackingNames.MethodsWithContext);

        IncrementalValueProvider<EquatableArray<StubsClass>> classes = emitted
            .Where(static m => m.Emit)
            .Select(static (m, _) => m.Method.StubsClass)
            .Collect()
            .Select(static (all, _) => all.Distinct().ToEquatableArray())
            .WithTrackingName(TrackingNames.StubsClasses);

        context.RegisterSourceOutput(emitted, static (output, item) =>
        {
            if (item.Emit)
            {
                output.AddSource(item.Method.HintName, SubmittableEmitter.EmitMethod(item.Method));
            }
        });

        context.RegisterSourceOutput(classes, static (output, all) =>
        {
            foreach (StubsClass stubsClass in all)
            {
                output.AddSource(stubsClass.HintName, SubmittableEmitter.EmitStubsClass(stubsClass));
            }
        });
    }
}
