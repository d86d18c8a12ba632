using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0107: <c>pool.SubmitApply(x => x + 1)</c> where <c>pool</c> is a <c>ProcessPoolExecutor</c>. A process pool
/// sends a generated call's arguments and result to a worker process as System.Text.Json, and runs only static,
/// non-generic [Submittable] methods. The stub's <c>[StubFor(methodId, runsInProcessPools)]</c> names the method;
/// <see cref="ProcessPoolFit"/> says what stops it, and the rule reports that at the call (at the argument, for a
/// parameter). Only the executor's static type is known here: a call through an <c>IExecutor</c> or
/// <c>Executor</c> variable, and <c>Then…</c> stubs (which run on the executor of their source future), are not
/// checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0107ProcessPoolSerializationAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0107.</summary>
    public const string Id = DiagnosticDescriptors.ProcessPoolSerializationId;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.ProcessPoolSerialization);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
    {
        if (types.ProcessPoolExecutor is null || types.StubForAttribute is null)
        {
            return;
        }

        // One answer per [Submittable] method and compilation, however many calls submit it.
        var methods = new ConcurrentDictionary<string, ImmutableArray<ProcessPoolProblem>>();
        context.RegisterOperationAction(operationContext => Analyze(operationContext, types, methods), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types, ConcurrentDictionary<string, ImmutableArray<ProcessPoolProblem>> methods)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // Submit stubs only: a Then stub's first parameter is its source future, whose executor is not known here.
        if (!GeneratedStubs.IsSubmitStub(invocation.TargetMethod, types)
            || !GeneratedStubs.TryRead(invocation.TargetMethod, types, out string methodId, out bool runsInProcessPools)
            || !PipelinesTypes.DerivesFrom(ExecutorType(invocation), types.ProcessPoolExecutor))
        {
            return;
        }

        Compilation compilation = context.Compilation;
        ImmutableArray<ProcessPoolProblem> problems = methods.GetOrAdd(methodId, id => ProcessPoolFit.Find(id, runsInProcessPools, compilation, types));
        foreach (ProcessPoolProblem problem in problems)
        {
            Location location = LocationOf(invocation, problem.Parameter);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ProcessPoolSerialization, location, problem.Method, problem.Reason, problem.Advice));
        }
    }

    /// <summary>The argument passed for <paramref name="parameter"/> when there is one, else the whole call.</summary>
    private static Location LocationOf(IInvocationOperation invocation, string? parameter)
    {
        if (parameter is not null)
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Name == parameter)
                {
                    // The expression, not the argument: a named argument's 'name:' is not at fault.
                    // (The operation's own syntax may be the expression inside a trailing '!'.)
                    return (argument.Syntax.FirstAncestorOrSelf<ArgumentSyntax>()?.Expression ?? argument.Syntax).GetLocation();
                }
            }
        }

        return invocation.Syntax.GetLocation();
    }

    /// <summary>The static type of the <c>this IExecutor</c> argument, before its implicit conversion to the interface.</summary>
    private static ITypeSymbol? ExecutorType(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: 0 })
            {
                IOperation value = argument.Value;
                while (value is IConversionOperation { IsImplicit: true } conversion)
                {
                    value = conversion.Operand;
                }

                return value.Type;
            }
        }

        return null;
    }
}
