using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>Where a piece of code runs, as far as the deadlock rules care.</summary>
internal enum WorkContextKind
{
    /// <summary>Not known to run on an executor (Main, tests, ordinary methods): it does if a caller that does reaches it.</summary>
    NotOnExecutor,

    /// <summary>The body of a <c>[Submittable]</c> method: it always runs on an executor's worker.</summary>
    SubmittableMethod,

    /// <summary>A lambda or anonymous method passed to <c>Submit</c>, <c>Map</c> or a generated stub, directly or through a local.</summary>
    SubmittedDelegate,

    /// <summary>A lambda passed to <c>future.OnDone</c>: it runs on whatever thread completes the future.</summary>
    OnDoneCallback,

    /// <summary>A lambda handed to the .NET thread pool or a thread (<c>Task.Run</c>, <c>StartNew</c>, <c>new Thread</c>): not on any executor.</summary>
    Elsewhere,
}

/// <summary>The result of <see cref="ExecutorWork.Classify"/>.</summary>
internal readonly struct WorkContext
{
    public WorkContext(WorkContextKind kind, string? description, IMethodSymbol? owner, ISymbol? callbackParameter = null, ISymbol? callbackSource = null)
    {
        Kind = kind;
        Description = description;
        Owner = owner;
        CallbackParameter = callbackParameter;
        CallbackSource = callbackSource;
    }

    public WorkContextKind Kind { get; }

    /// <summary>True for code that runs on an executor's worker: a <c>[Submittable]</c> body or a submitted delegate.</summary>
    public bool IsExecutorWork => Kind is WorkContextKind.SubmittableMethod or WorkContextKind.SubmittedDelegate;

    /// <summary>How the message names the context, e.g. <c>a lambda passed to 'Submit'</c>.</summary>
    public string? Description { get; }

    /// <summary>
    /// The innermost named method (local function or member) around the code, by definition: the method whose facts
    /// the code adds to when it is not itself executor work (see <see cref="CallGraph"/>).
    /// </summary>
    public IMethodSymbol? Owner { get; }

    /// <summary>For <see cref="WorkContextKind.OnDoneCallback"/>: the callback's own future parameter, known complete.</summary>
    public ISymbol? CallbackParameter { get; }

    /// <summary>For <see cref="WorkContextKind.OnDoneCallback"/>: the local or parameter <c>OnDone</c> was called on, also complete.</summary>
    public ISymbol? CallbackSource { get; }
}

/// <summary>Answers "is this code running on an executor?" by walking the operation tree outwards.</summary>
internal static class ExecutorWork
{
    /// <summary>
    /// Classifies the code around <paramref name="operation"/>. The walk passes through lambdas that run where they
    /// are written (LINQ, <c>ForEach</c>, a delegate kept for later) and stops at the first one handed to a submitter,
    /// to <c>OnDone</c>, or to the .NET thread pool.
    /// </summary>
    public static WorkContext Classify(IOperation operation, ISymbol containingSymbol, PipelinesTypes types)
    {
        IMethodSymbol? owner = null;
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation function:
                    IOperation? target = Delegates.TargetOf(function, invocation => IsSubmitter(invocation.TargetMethod, types) || IsOnDone(invocation.TargetMethod, types) || RunsElsewhere(invocation, types), out ILocalSymbol? local);
                    if (target is IInvocationOperation invocation)
                    {
                        string how = local is null ? "passed to" : $"stored in '{local.Name}' and passed to";
                        if (IsOnDone(invocation.TargetMethod, types))
                        {
                            ISymbol? parameter = function.Symbol.Parameters.Length > 0 ? function.Symbol.Parameters[0] : null;
                            return new WorkContext(WorkContextKind.OnDoneCallback, "an OnDone callback", owner, parameter, BlockingWaits.ReceiverSymbol(invocation.Instance));
                        }

                        if (IsSubmitter(invocation.TargetMethod, types))
                        {
                            return new WorkContext(WorkContextKind.SubmittedDelegate, $"a lambda {how} '{invocation.TargetMethod.Name}'", owner);
                        }
                    }

                    if (target is not null && RunsElsewhere(target, types))
                    {
                        return new WorkContext(WorkContextKind.Elsewhere, null, owner);
                    }

                    break;
                case ILocalFunctionOperation localFunction:
                    owner ??= localFunction.Symbol;
                    break;
            }
        }

        owner ??= (containingSymbol as IMethodSymbol)?.OriginalDefinition;
        return containingSymbol is IMethodSymbol member && IsSubmittable(member, types)
            ? new WorkContext(WorkContextKind.SubmittableMethod, $"the [Submittable] method '{member.Name}'", owner)
            : new WorkContext(WorkContextKind.NotOnExecutor, null, owner);
    }

    /// <summary>
    /// What an operation adds to a call graph about executor work (PIPE0001, PIPE0002): a method group handed to a
    /// submitter is a root wherever it is handed over; a call made by executor work is a root; a call made by other
    /// code is an edge from its method. Calls in callbacks and on the .NET pool add nothing.
    /// </summary>
    public static void RecordCalls(OperationAnalysisContext context, CallGraph graph, PipelinesTypes types)
    {
        IOperation operation = context.Operation;
        if (operation is IInvocationOperation invocation && IsSubmitter(invocation.TargetMethod, types))
        {
            foreach (PassedMethod passed in Delegates.MethodGroupsPassedTo(invocation))
            {
                if (CallGraph.IsFollowable(passed.Method, context.Compilation))
                {
                    graph.AddRoot(passed.Method, RootKind.ExecutorWork, passed.How);
                }
            }
        }

        if (CallGraph.CalleeOf(operation, context.Compilation, types) is not { } callee)
        {
            return;
        }

        WorkContext work = Classify(operation, context.ContainingSymbol, types);
        if (work.IsExecutorWork)
        {
            graph.AddRoot(callee, RootKind.ExecutorWork, $"{work.Description} calls '{Names.Of(callee)}'");
        }
        else if (work.Kind == WorkContextKind.NotOnExecutor && work.Owner is { } owner)
        {
            graph.AddCall(owner, callee);
        }
    }

    /// <summary>
    /// Methods of the runtime that run a delegate argument on an executor — <c>Submit</c>, <c>Map</c>/<c>MapAsync</c>,
    /// and <c>Then</c>/<c>Catch</c> continuations, wherever the runtime declares them — and generated stubs.
    /// </summary>
    public static bool IsSubmitter(IMethodSymbol method, PipelinesTypes types)
        => (method.Name is "Submit" or "Map" or "MapAsync" or "Then" or "Catch" && IsRuntimeMember(method, types))
            || GeneratedStubs.IsStub(method, types);

    public static bool IsOnDone(IMethodSymbol method, PipelinesTypes types)
        => method.Name == "OnDone" && IsRuntimeMember(method, types);

    public static bool IsSubmittable(IMethodSymbol method, PipelinesTypes types)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (types.SubmittableAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.SubmittableAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call that runs its delegate on the .NET thread pool or a new thread, never on an executor:
    /// <c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c> and <c>new Thread(…)</c>.
    /// Blocking there is for the task analyzers (VSTHRD002, CA1849).
    /// </summary>
    public static bool RunsElsewhere(IOperation target, PipelinesTypes types) => target switch
    {
        IInvocationOperation { TargetMethod: var method } => (method.Name == "Run" && PipelinesTypes.Is(method.ContainingType, types.Task))
            || (method.Name == "StartNew" && (PipelinesTypes.Is(method.ContainingType, types.TaskFactory) || PipelinesTypes.Is(method.ContainingType, types.TaskFactoryOfT)))
            || (method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" && PipelinesTypes.Is(method.ContainingType, types.ThreadPool)),
        IObjectCreationOperation creation => PipelinesTypes.Is(creation.Type, types.Thread),
        _ => false,
    };

    /// <summary>An executor, future or helper type of the runtime: what <c>Submit</c> and <c>OnDone</c> must be declared in.</summary>
    private static bool IsRuntimeMember(IMethodSymbol method, PipelinesTypes types)
    {
        INamedTypeSymbol type = method.ContainingType;
        return types.IsExecutor(type)
            || types.IsFuture(type)
            || (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, types.Future.ContainingAssembly) && type.IsStatic);
    }
}
