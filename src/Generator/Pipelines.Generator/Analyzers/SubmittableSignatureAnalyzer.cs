using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// Reports [Submittable] methods the generator skips (PIPE0101–PIPE0106): by-reference parameters, ref structs
/// and pointers, inaccessible methods, stubs that would collide, async void, unsupported declarations.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SubmittableSignatureAnalyzer : PipelinesAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ByReference,
        DiagnosticDescriptors.RefLikeType,
        DiagnosticDescriptors.Inaccessible,
        DiagnosticDescriptors.StubCollision,
        DiagnosticDescriptors.GeneratedNameTaken,
        DiagnosticDescriptors.AsyncVoid,
        DiagnosticDescriptors.UnsupportedDeclaration);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
    {
        if (types.SubmittableAttribute is not { } attribute)
        {
            return;
        }

        var valid = new ConcurrentBag<(IMethodSymbol Method, string Key)>();
        context.RegisterSymbolAction(
            symbolContext => AnalyzeMethod(symbolContext.Symbol, symbolContext.ReportDiagnostic, attribute, valid, symbolContext.CancellationToken),
            SymbolKind.Method);

        // Symbol actions never see local functions; they still must hear why [Submittable] does nothing there.
        context.RegisterOperationAction(
            operationContext => AnalyzeMethod(((ILocalFunctionOperation)operationContext.Operation).Symbol, operationContext.ReportDiagnostic, attribute, valid, operationContext.CancellationToken),
            OperationKind.LocalFunction);
        context.RegisterCompilationEndAction(end => ReportCollisions(end, valid));
    }

    private static void AnalyzeMethod(ISymbol symbol, System.Action<Diagnostic> report, INamedTypeSymbol attribute, ConcurrentBag<(IMethodSymbol, string)> valid, System.Threading.CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)symbol;

        // A partial method is one method with two symbols, and the symbol action sees both; its definition part
        // speaks for it (attributes are merged across the parts), so it is checked and counted once.
        if (method.PartialDefinitionPart is not null)
        {
            return;
        }

        AttributeData? data = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
        if (data is null)
        {
            return;
        }

        Location location = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? method.Locations.FirstOrDefault() ?? Location.None;
        if (SubmittableRules.FindViolation(method) is { } violation)
        {
            // RS1005 cannot see that every descriptor FindViolation returns is in SupportedDiagnostics.
#pragma warning disable RS1005
            report(Diagnostic.Create(violation.Descriptor, location, method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), violation.Detail));
#pragma warning restore RS1005
            return;
        }

        valid.Add((method, SubmittableRules.CollisionKey(method)));
    }

    private static void ReportCollisions(CompilationAnalysisContext context, ConcurrentBag<(IMethodSymbol Method, string Key)> valid)
    {
        foreach (IGrouping<string, (IMethodSymbol Method, string Key)> group in valid.GroupBy(v => v.Key).Where(g => g.Count() > 1))
        {
            var methods = group.Select(g => g.Method).OrderBy(m => m.ToDisplayString(), System.StringComparer.Ordinal).ToList();
            foreach (IMethodSymbol method in methods)
            {
                IMethodSymbol other = methods.First(m => !SymbolEqualityComparer.Default.Equals(m, method));
                string ns = method.ContainingType.ContainingNamespace.IsGlobalNamespace ? "<global>" : method.ContainingType.ContainingNamespace.ToDisplayString();
                string name = SubmittableRules.StubNameOf(method, method.GetAttributes()) ?? method.Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.StubCollision,
                    method.Locations.FirstOrDefault() ?? Location.None,
                    method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                    other.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                    name,
                    ns));
            }
        }
    }
}
