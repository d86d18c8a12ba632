using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0108: a call that produces a <c>Future&lt;Task&gt;</c>, <c>Future&lt;Task&lt;T&gt;&gt;</c>,
/// <c>Future&lt;ValueTask&gt;</c> or <c>Future&lt;ValueTask&lt;T&gt;&gt;</c> — typically an async lambda bound to a
/// synchronous <c>Submit&lt;T&gt;(Func&lt;T&gt;)</c> — or a <c>Map</c>/<c>MapAsync</c> whose function returns a task.
/// The executor counts such a call as done when the task exists, not when it finishes: the future completes early
/// and the task's exception is never observed. Reported where the value is made (the call), not at every use.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0108FutureOfTaskAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0108.</summary>
    public const string Id = DiagnosticDescriptors.FutureOfTaskId;

    private const string SubmitAdvice = "submit async work through an async overload (Submit(async ct => …) without a Task type argument) or an async [Submittable] method, so the future holds the awaited result";
    private const string MapAdvice = "map an async function with the async MapAsync overload, so the results are awaited values, not tasks";
    private const string OtherAdvice = "await the task inside the work, so the future holds its result";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.FutureOfTask);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => context.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.Invocation, OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types)
    {
        IOperation operation = context.Operation;
        if (operation is IInvocationOperation { TargetMethod: { Name: "Map" or "MapAsync" } map }
            && PipelinesTypes.Is(map.ContainingType, types.ExecutorExtensions)
            && map.TypeArguments.Length > 0
            && map.TypeArguments[map.TypeArguments.Length - 1] is var result
            && types.IsTaskLike(result))
        {
            Report(context, $"{map.Name}(…)", $"results of type '{Display(result)}'", MapAdvice);
            return;
        }

        if (FutureResult(operation.Type, types) is not { } task)
        {
            return;
        }

        string name = operation is IInvocationOperation invocation ? $"{invocation.TargetMethod.Name}(…)" : $"new {Display(operation.Type!)}(…)";
        bool submits = operation is IInvocationOperation { TargetMethod: var method } && ExecutorWork.IsSubmitter(method, types);
        Report(context, name, $"a 'Future<{Display(task)}>'", submits ? SubmitAdvice : OtherAdvice);
    }

    /// <summary>The <c>T</c> of a <c>Future&lt;T&gt;</c> (or a class derived from it) when <c>T</c> is a task; otherwise null.</summary>
    private static ITypeSymbol? FutureResult(ITypeSymbol? type, PipelinesTypes types)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (types.IsFutureOfT(current, out ITypeSymbol? result))
            {
                return types.IsTaskLike(result) ? result : null;
            }
        }

        return null;
    }

    private static void Report(OperationAnalysisContext context, string name, string gives, string advice)
        => context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FutureOfTask, context.Operation.Syntax.GetLocation(), name, gives, advice));

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
