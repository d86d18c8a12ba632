using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>
/// Emits typed <c>Submit…</c>/<c>Then…</c> stubs for every [Submittable] method. Invalid methods are skipped
/// here and reported by <see cref="Analyzers.SubmittableSignatureAnalyzer"/>, so this output stays cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SubmittableGenerator : IIncrementalGenerator
{
    internal const string AttributeName = "Pipelines.SubmittableAttribute";

    /// <summary>The MSBuild property that turns process-pool support off, as analyzer config options see it.</summary>
    internal const string RemoteCallsProperty = "build_property.PipelinesRemoteCalls";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Project the compilation to values: a cached step that changes only when a reference or the output kind does.
        // <PipelinesRemoteCalls>false</PipelinesRemoteCalls> (build/Pipelines.props makes it compiler-visible) turns off
        // what process pools need: the module initializer and the IRemoteCall/JSON members.
        IncrementalValueProvider<bool> remoteCallsAllowed = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => !options.GlobalOptions.TryGetValue(RemoteCallsProperty, out string? value)
                || !string.Equals(value?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase))
            .WithTrackingName(TrackingNames.RemoteCallsOption);

        IncrementalValueProvider<GeneratorContext> generatorContext = context.CompilationProvider
            .Select(static (compilation, _) => ReadContext(compilation))
            .Combine(remoteCallsAllowed)
            .Select(static (input, _) => input.Right ? input.Left : input.Left with { RemoteCalls = false, WorkerEntryPoint = null })
            .WithTrackingName(TrackingNames.RuntimeReferenced);

        IncrementalValuesProvider<SubmittableMethod> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                transform: SubmittableParser.Parse)
            .Where(static method => method is not null)
            .Select(static (method, _) => method!)
            .WithTrackingName(TrackingNames.Methods);

        // Every output name, unique by construction (OutputNames), and the methods whose stubs would clash: both are
        // skipped (PIPE0104 says why) rather than emitted uncompilable. Usually nothing clashes and nobody is renamed, so
        // this stays equal and every method's file stays cached.
        IncrementalValueProvider<GeneratedNames> names = methods
            .Collect()
            .Select(static (all, _) => OutputNames.Assign(all))
            .WithTrackingName(TrackingNames.OutputNames);

        IncrementalValueProvider<(EquatableArray<string> Collisions, EquatableArray<RenamedMethod> Renamed)> naming = names
            .Select(static (n, _) => (n.Collisions, n.Renamed))
            .WithTrackingName(TrackingNames.Collisions);

        IncrementalValuesProvider<(SubmittableMethod Method, bool Emit, bool Remote)> emitted = methods
            .Combine(naming)
            .Combine(generatorContext)
            .Select(static (input, _) => (
                Method: OutputNames.Apply(input.Left.Left, input.Left.Right.Renamed),
                Emit: input.Right.RuntimeReferenced && !input.Left.Right.Collisions.Contains(input.Left.Left.CollisionKey),
                Remote: input.Right.RemoteCalls))
            .WithTrackingName(TrackingNames.MethodsWithContext);

        IncrementalValueProvider<(EquatableArray<RemoteRegistration> Registrations, GeneratorContext Context)> registrations = emitted
            .Where(static m => m.Emit && m.Remote && m.Method.IsRemotable)
            .Select(static (m, _) => new RemoteRegistration(m.Method.MethodDocumentationId, m.Method.QualifiedStubsClass, m.Method.CallClassName, m.Method.Deprecation?.IsObsolete == true, SubmittableEmitter.HasMap(m.Method)))
            .Collect()
            .Select(static (all, _) => all.OrderBy(r => r.MethodId, System.StringComparer.Ordinal).ToEquatableArray())
            .Combine(generatorContext)
            .WithTrackingName(TrackingNames.RemoteRegistrations);

        // Declared only where the runtime is referenced, as the methods' files are.
        IncrementalValueProvider<EquatableArray<StubsClass>> classes = names
            .Combine(generatorContext)
            .Select(static (input, _) => input.Right.RuntimeReferenced ? input.Left.Classes : EquatableArray<StubsClass>.Empty)
            .WithTrackingName(TrackingNames.StubsClasses);

        context.RegisterSourceOutput(emitted, static (output, item) =>
        {
            if (item.Emit)
            {
                output.AddSource(item.Method.HintName, SubmittableEmitter.EmitMethod(item.Method, item.Remote));
            }
        });

        context.RegisterSourceOutput(classes, static (output, all) =>
        {
            foreach (StubsClass stubsClass in all)
            {
                output.AddSource(stubsClass.HintName, SubmittableEmitter.EmitStubsClass(stubsClass));
            }
        });

        context.RegisterSourceOutput(registrations, static (output, input) =>
        {
            if (input.Registrations.Count > 0)
            {
                output.AddSource(OutputNames.RegistrationsHintName, SubmittableEmitter.EmitRemoteRegistrations(input.Registrations, input.Context.WorkerEntryPoint));
            }
        });
    }

    private static GeneratorContext ReadContext(Compilation compilation)
    {
        bool runtime = compilation.GetTypeByMetadataName("Pipelines.Internals.CallFuture`1") is not null;
        bool remote = runtime
            && compilation.GetTypeByMetadataName("Pipelines.Remoting.IRemoteCall") is not null
            && compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null
            && compilation.GetTypeByMetadataName("System.Text.Json.JsonSerializer") is not null;
        bool executable = compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication;
        bool hasWorker = compilation.GetTypeByMetadataName("Pipelines.ProcessPoolExecutor") is { } pool
            && pool.GetMembers("RunWorkerIfRequested").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 0 && m.DeclaredAccessibility == Accessibility.Public);
        return new GeneratorContext(runtime, remote, remote && executable && hasWorker ? "global::Pipelines.ProcessPoolExecutor.RunWorkerIfRequested" : null);
    }
}
