using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// The set-up every Pipelines rule shares: concurrent, no generated code, and per compilation the
/// <see cref="PipelinesTypes"/> table, resolved once; a compilation that does not reference the runtime gets no
/// actions at all.
/// </summary>
public abstract class PipelinesAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (PipelinesTypes.TryCreate(start.Compilation) is { } types)
            {
                OnCompilationStart(start, types);
            }
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references the runtime.</summary>
    private protected abstract void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types);
}
