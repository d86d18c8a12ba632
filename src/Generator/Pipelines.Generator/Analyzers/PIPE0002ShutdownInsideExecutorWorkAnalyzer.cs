using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.Generator.Analyzers;

/// <summary>
/// PIPE0002: <c>executor.Shutdown()</c> / <c>Shutdown(wait: true)</c>, <c>Dispose()</c> or a (non-await)
/// <c>using</c> of an executor inside work that runs on an executor. Shutting down with waiting blocks until all
/// accepted work is done — including the work doing the shutdown, so from one of the executor's own workers it
/// can never return (the runtime throws instead). <c>Shutdown(wait: false)</c> and <c>ShutdownAsync</c> are fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0002ShutdownInsideExecutorWorkAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0002";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Do not shut down or dispose an executor with waiting inside executor work",
        messageFormat: "'{0}' waits for an executor's work to finish from inside {1}; on one of that executor's own workers it waits for itself — use Shutdown(wait: false) or await ShutdownAsync()",
        category: "Pipelines.Deadlock",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Shutdown(wait: true), Dispose() and a using block wait until every accepted call has finished. Inside work that runs on the executor, that includes the caller itself. Shut down without waiting, or await ShutdownAsync/DisposeAsync from code that is not on the pool.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0002.md");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            PipelinesTypes? types = PipelinesTypes.TryCreate(start.Compilation);
            if (types is null)
            {
                return;
            }

            IMethodSymbol? shutdown = null;
            foreach (ISymbol member in types.IExecutor.GetMembers("Shutdown"))
            {
                shutdown ??= member as IMethodSymbol;
            }

            start.RegisterSymbolStartAction(
                symbolStart => ExecutorWorkScope.Register(
                    symbolStart,
                    types,
                    (operationContext, scope) => Analyze(operationContext, scope, types, shutdown),
                    OperationKind.Invocation,
                    OperationKind.Using,
                    OperationKind.UsingDeclaration),
                SymbolKind.NamedType);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ExecutorWorkScope scope, PipelinesTypes types, IMethodSymbol? shutdown)
    {
        (string Name, Location Location)? found = context.Operation switch
        {
            IInvocationOperation invocation => MatchInvocation(invocation, types, shutdown),
            IUsingOperation { IsAsynchronous: false } usingBlock when DisposesExecutor(usingBlock.Resources, types) => ("using", usingBlock.Resources.Syntax.GetLocation()),
            IUsingDeclarationOperation { IsAsynchronous: false } usingDeclaration when DisposesExecutor(usingDeclaration.DeclarationGroup, types) => ("using", usingDeclaration.Syntax.GetLocation()),
            _ => null,
        };

        if (found is not { } match)
        {
            return;
        }

        WorkContext work = scope.Classify(context.Operation, context.ContainingSymbol);
        if (work.Kind == WorkContextKind.OnDoneCallback)
        {
            return;
        }

        scope.ReportOrDefer(context, work, description => Diagnostic.Create(Rule, match.Location, match.Name, description));
    }

    private static (string Name, Location Location)? MatchInvocation(IInvocationOperation invocation, PipelinesTypes types, IMethodSymbol? shutdown)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.IsStatic || invocation.Instance is null || !types.IsExecutor(invocation.Instance.Type))
        {
            return null;
        }

        if (method.Name == "Dispose" && method.Parameters.Length == 0)
        {
            return ("Dispose()", invocation.Syntax.GetLocation());
        }

        if (method.Name != "Shutdown" || !IsShutdown(method, invocation.Instance.Type!, shutdown))
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

        return ("Shutdown(wait: true)", invocation.Syntax.GetLocation());
    }

    private static bool IsShutdown(IMethodSymbol method, ITypeSymbol receiverType, IMethodSymbol? shutdown)
        => shutdown is null
            || SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, shutdown)
            || SymbolEqualityComparer.Default.Equals(receiverType.FindImplementationForInterfaceMember(shutdown), method.OriginalDefinition);

    private static bool DisposesExecutor(IOperation resources, PipelinesTypes types)
    {
        switch (resources)
        {
            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclarationOperation declaration in group.Declarations)
                {
                    foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                    {
                        if (types.IsExecutor(declarator.Symbol.Type))
                        {
                            return true;
                        }
                    }
                }

                return false;
            case IConversionOperation conversion:
                return types.IsExecutor(conversion.Operand.Type);
            default:
                return types.IsExecutor(resources.Type);
        }
    }
}
