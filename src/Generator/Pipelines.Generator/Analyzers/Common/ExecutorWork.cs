using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>Where a piece of code runs, as far as the deadlock rules care.</summary>
internal enum WorkContextKind
{
    /// <summary>Not known to run on an executor (Main, tests, ordinary methods).</summary>
    NotOnExecutor,

    /// <summary>The body of a <c>[Submittable]</c> method: it always runs on an executor's worker.</summary>
    SubmittableMethod,

    /// <summary>A lambda or anonymous method passed to <c>Submit</c>, <c>Map</c> or a generated stub.</summary>
    SubmittedDelegate,

    /// <summary>A lambda passed to <c>future.OnDone</c>: it runs on whatever thread completes the future.</summary>
    OnDoneCallback,
}

/// <summary>The result of <see cref="ExecutorWork.Classify"/>.</summary>
internal readonly struct WorkContext
{
    public WorkContext(WorkContextKind kind, string? description, IMethodSymbol? enclosingMethod, ISymbol? callbackParameter = null, ISymbol? callbackSource = null)
    {
        Kind = kind;
        Description = description;
        EnclosingMethod = enclosingMethod;
        CallbackParameter = callbackParameter;
        CallbackSource = callbackSource;
    }

    public WorkContextKind Kind { get; }

    /// <summary>How the message names the context, e.g. <c>a lambda passed to 'Submit'</c>.</summary>
    public string? Description { get; }

    /// <summary>
    /// For <see cref="WorkContextKind.NotOnExecutor"/>: the innermost named method (local function or member)
    /// around the code. It runs on an executor after all if it is passed as a method group to a submitter.
    /// </summary>
    public IMethodSymbol? EnclosingMethod { get; }

    /// <summary>For <see cref="WorkContextKind.OnDoneCallback"/>: the callback's own future parameter, known complete.</summary>
    public ISymbol? CallbackParameter { get; }

    /// <summary>For <see cref="WorkContextKind.OnDoneCallback"/>: the local or parameter <c>OnDone</c> was called on, also complete.</summary>
    public ISymbol? CallbackSource { get; }
}

/// <summary>Answers "is this code running on an executor?" by walking the operation tree outwards.</summary>
internal static class ExecutorWork
{
    /// <summary>
    /// Classifies the code around <paramref name="operation"/>. The walk passes through lambdas that are not
    /// submitted (a <c>Select</c> inside submitted work still runs on the worker) and stops at the first one
    /// passed to a submitter or to <c>OnDone</c>.
    /// </summary>
    public static WorkContext Classify(IOperation operation, ISymbol containingSymbol, PipelinesTypes types)
    {
        IMethodSymbol? innermostLocalFunction = null;
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation function when GetDelegateTarget(function) is { } invocation:
                    if (IsOnDone(invocation.TargetMethod, types))
                    {
                        ISymbol? parameter = function.Symbol.Parameters.Length > 0 ? function.Symbol.Parameters[0] : null;
                        return new WorkContext(WorkContextKind.OnDoneCallback, "an OnDone callback", null, parameter, BlockingWaits.ReceiverSymbol(invocation.Instance));
                    }

                    if (IsSubmitter(invocation.TargetMethod, types))
                    {
                        return new WorkContext(WorkContextKind.SubmittedDelegate, $"a lambda passed to '{invocation.TargetMethod.Name}'", null);
                    }

                    break;
                case ILocalFunctionOperation localFunction:
                    innermostLocalFunction ??= localFunction.Symbol;
                    break;
            }
        }

        if (containingSymbol is IMethodSymbol member && IsSubmittable(member, types))
        {
            return new WorkContext(WorkContextKind.SubmittableMethod, $"the [Submittable] method '{member.Name}'", null);
        }

        return new WorkContext(WorkContextKind.NotOnExecutor, null, innermostLocalFunction ?? containingSymbol as IMethodSymbol);
    }

    /// <summary>
    /// Methods that run a delegate argument on an executor: <c>IExecutor.Submit</c> (and its implementations),
    /// <c>ExecutorExtensions.Map/MapAsync</c>, and generated <c>Submit…</c>/<c>Then…</c> stubs.
    /// </summary>
    public static bool IsSubmitter(IMethodSymbol method, PipelinesTypes types)
        => (method.Name == "Submit" && !method.IsStatic && types.IsExecutor(method.ContainingType))
            || (method.Name is "Map" or "MapAsync" && PipelinesTypes.Is(method.ContainingType, types.ExecutorExtensions))
            || IsStub(method, types);

    /// <summary>
    /// A generated stub, recognised by shape: an extension method whose first parameter is <c>this IExecutor</c>
    /// or <c>this Future&lt;T&gt;</c>, in a type marked <c>[GeneratedCode("Pipelines.Generator", …)]</c>.
    /// </summary>
    public static bool IsStub(IMethodSymbol method, PipelinesTypes types)
    {
        IMethodSymbol definition = method.ReducedFrom ?? method;
        if (!definition.IsExtensionMethod || definition.Parameters.Length == 0)
        {
            return false;
        }

        ITypeSymbol first = definition.Parameters[0].Type;
        if (!PipelinesTypes.Is(first, types.IExecutor) && !PipelinesTypes.Is(first, types.FutureOfT) && !PipelinesTypes.Is(first, types.Future))
        {
            return false;
        }

        foreach (AttributeData attribute in definition.ContainingType.GetAttributes())
        {
            if (PipelinesTypes.Is(attribute.AttributeClass, types.GeneratedCodeAttribute)
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is "Pipelines.Generator")
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsOnDone(IMethodSymbol method, PipelinesTypes types)
        => method.Name == "OnDone" && (PipelinesTypes.Is(method.ContainingType, types.Future) || PipelinesTypes.Is(method.ContainingType, types.FutureOfT));

    public static bool IsSubmittable(IMethodSymbol method, PipelinesTypes types)
    {
        if (types.SubmittableAttribute is null)
        {
            return false;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.SubmittableAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The invocation a delegate (lambda or method group) is passed to, through conversions to <c>FutureOr&lt;…&gt;</c>.</summary>
    public static IInvocationOperation? GetDelegateTarget(IOperation function)
    {
        IOperation? current = function.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation target } ? target : null;
    }
}

/// <summary>
/// Per-type state for the rules that care about method groups: <c>executor.Submit(Work)</c> makes <c>Work</c>'s
/// body executor work. Diagnostics in ordinary methods of the type wait here until the type is fully analysed,
/// then are reported if their method turned out to be submitted. Only method groups of the same type are seen
/// (the common case); a method submitted from another type is not.
/// </summary>
internal sealed class ExecutorWorkScope
{
    private readonly ConcurrentDictionary<IMethodSymbol, string> _submitted = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentQueue<(IMethodSymbol Method, System.Func<string, Diagnostic> Create)> _pending = new();
    private readonly INamedTypeSymbol _type;
    private readonly PipelinesTypes _types;

    private ExecutorWorkScope(INamedTypeSymbol type, PipelinesTypes types)
    {
        _type = type;
        _types = types;
    }

    /// <summary>
    /// Registers, for one named type, an invocation/property action that classifies the code around each
    /// operation, and a symbol-end action that reports the deferred diagnostics.
    /// </summary>
    public static void Register(
        SymbolStartAnalysisContext context,
        PipelinesTypes types,
        System.Action<OperationAnalysisContext, ExecutorWorkScope> analyze,
        params OperationKind[] kinds)
    {
        var scope = new ExecutorWorkScope((INamedTypeSymbol)context.Symbol, types);
        context.RegisterOperationAction(
            operationContext =>
            {
                // Symbol-start actions may also see nested types' members; each type handles its own.
                if (!SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, scope._type))
                {
                    return;
                }

                if (operationContext.Operation is IInvocationOperation invocation)
                {
                    scope.RecordMethodGroups(invocation);
                }

                analyze(operationContext, scope);
            },
            kinds);
        context.RegisterSymbolEndAction(scope.Flush);
    }

    /// <summary>Classifies <paramref name="operation"/>'s surroundings.</summary>
    public WorkContext Classify(IOperation operation, ISymbol containingSymbol)
        => ExecutorWork.Classify(operation, containingSymbol, _types);

    /// <summary>Reports now if the code is executor work, or defers until the type's method groups are known.</summary>
    public void ReportOrDefer(OperationAnalysisContext context, WorkContext work, System.Func<string, Diagnostic> create)
    {
        if (work.Kind is WorkContextKind.SubmittableMethod or WorkContextKind.SubmittedDelegate)
        {
            context.ReportDiagnostic(create(work.Description!));
        }
        else if (work.Kind == WorkContextKind.NotOnExecutor && work.EnclosingMethod is not null)
        {
            _pending.Enqueue((work.EnclosingMethod.OriginalDefinition, create));
        }
    }

    private void RecordMethodGroups(IInvocationOperation invocation)
    {
        if (!ExecutorWork.IsSubmitter(invocation.TargetMethod, _types))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
            {
                _submitted.TryAdd(reference.Method.OriginalDefinition, $"the method '{reference.Method.Name}', passed to '{invocation.TargetMethod.Name}'");
            }
        }
    }

    private void Flush(SymbolAnalysisContext context)
    {
        while (_pending.TryDequeue(out (IMethodSymbol Method, System.Func<string, Diagnostic> Create) pending))
        {
            if (_submitted.TryGetValue(pending.Method, out string? description))
            {
                context.ReportDiagnostic(pending.Create(description));
            }
        }
    }
}
