using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0002: <c>executor.Shutdown()</c> / <c>Shutdown(wait: true)</c>, <c>Dispose()</c> or a (non-await)
/// <c>using</c> of an executor in code that runs on an executor, or in a method such code reaches (followed as for
/// PIPE0001). Called from the executor's own work, shutting down with waiting stops accepting work and holds the
/// worker — helping run the rest — until every other accepted call has finished; it neither throws nor hangs, but
/// the worker is held that long, and from another executor's work it is held without helping. An executor the same
/// function creates (<c>using var inner = new ThreadPoolExecutor(1)</c>) cannot be the one running the code and is
/// not reported. <c>Shutdown(wait: false)</c>, <c>ShutdownAsync</c> and <c>DisposeAsync</c> are fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0002ShutdownInsideExecutorWorkAnalyzer : PipelinesAnalyzer
{
    /// <summary>The ID of the rule this analyzer reports, PIPE0002.</summary>
    public const string Id = DiagnosticDescriptors.ShutdownInsideExecutorWorkId;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(
        DiagnosticDescriptors.ShutdownInsideExecutorWork,
        DiagnosticDescriptors.ShutdownReachedFromExecutorWork);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, PipelinesTypes types)
        => CallGraph.Register(
            context,
            (operationContext, graph) => Analyze(operationContext, types, graph),
            (_, _) => true,
            reached => Diagnostic.Create(DiagnosticDescriptors.ShutdownReachedFromExecutorWork, reached.Site.Location, reached.Site.Name, Names.Of(reached.Method), reached.Path),
            OperationKind.Using,
            OperationKind.UsingDeclaration);

    private static void Analyze(OperationAnalysisContext context, PipelinesTypes types, CallGraph graph)
    {
        BlockingSite? site = context.Operation switch
        {
            IInvocationOperation invocation => MatchInvocation(invocation, types),
            IUsingOperation { IsAsynchronous: false } usingBlock when DisposesSharedExecutor(usingBlock.Resources, usingBlock, types)
                => new BlockingSite(usingBlock.Resources.Syntax.GetLocation(), "using"),
            IUsingDeclarationOperation { IsAsynchronous: false } usingDeclaration when DisposesSharedExecutor(usingDeclaration.DeclarationGroup, usingDeclaration, types)
                => new BlockingSite(usingDeclaration.Syntax.GetLocation(), "using"),
            _ => null,
        };

        if (site is null)
        {
            ExecutorWork.RecordCalls(context, graph, types);
            return;
        }

        WorkContext work = ExecutorWork.Classify(context.Operation, context.ContainingSymbol, types);
        if (work.IsExecutorWork)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ShutdownInsideExecutorWork, site.Location, site.Name, work.Description));
        }
        else if (work.Kind == WorkContextKind.NotOnExecutor && work.Owner is { } owner)
        {
            graph.AddSite(owner, site);
        }
    }

    private static BlockingSite? MatchInvocation(IInvocationOperation invocation, PipelinesTypes types)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.IsStatic || invocation.Instance is not { Type: { } receiverType } instance || !types.IsExecutor(receiverType) || IsCreatedHere(instance, invocation, types))
        {
            return null;
        }

        if (method.Name == "Dispose" && method.Parameters.Length == 0)
        {
            return new BlockingSite(invocation.Syntax.GetLocation(), "Dispose()");
        }

        if (method.Name != "Shutdown" || !IsShutdown(method, receiverType, types.Shutdown))
        {
            return null;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "wait"
                && argument.ArgumentKind != ArgumentKind.DefaultValue
                && argument.Value.ConstantValue is { HasValue: true, Value: false })
            {
                return null;
            }
        }

        return new BlockingSite(invocation.Syntax.GetLocation(), "Shutdown(wait: true)");
    }

    private static bool IsShutdown(IMethodSymbol method, ITypeSymbol receiverType, IMethodSymbol? shutdown)
        => shutdown is null
            || SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, shutdown)
            || SymbolEqualityComparer.Default.Equals(receiverType.FindImplementationForInterfaceMember(shutdown), method.OriginalDefinition);

    /// <summary>A <c>using</c> that disposes an executor this function did not create.</summary>
    private static bool DisposesSharedExecutor(IOperation resources, IOperation at, PipelinesTypes types)
    {
        if (resources is not IVariableDeclarationGroupOperation group)
        {
            return types.IsExecutor(Strip(resources).Type) && !IsCreatedHere(resources, at, types);
        }

        return group.Declarations
            .SelectMany(declaration => declaration.Declarators)
            .Any(declarator => types.IsExecutor(declarator.Symbol.Type) && declarator.Initializer is { } initializer && !IsCreatedHere(initializer.Value, at, types));
    }

    /// <summary>
    /// An executor created by the function running <paramref name="at"/> — <c>new …Executor(…)</c>, or a local of that
    /// function given only that — cannot be the executor running the function.
    /// </summary>
    private static bool IsCreatedHere(IOperation executor, IOperation at, PipelinesTypes types)
    {
        executor = Strip(executor);
        if (executor is IObjectCreationOperation)
        {
            return true;
        }

        return executor is ILocalReferenceOperation { Local: { } local }
            && Locals.SingleValue(local, at, out int tupleIndex) is { } value
            && tupleIndex < 0
            && Strip(value) is IObjectCreationOperation
            && Locals.FunctionOf(value, types) == Locals.FunctionOf(at, types);
    }

    private static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
