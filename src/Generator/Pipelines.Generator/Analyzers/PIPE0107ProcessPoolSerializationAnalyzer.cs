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
/// the rule reports a method that cannot run in a pool at all, and a parameter or result whose type JSON cannot
/// round-trip (delegates, pointers, <c>object</c>/<c>dynamic</c>, interfaces other than the collection interfaces
/// System.Text.Json creates, abstract classes, tasks as parameters, streams, reflection metadata, native handles),
/// looking through arrays, <c>Nullable&lt;T&gt;</c> and the type arguments of collections. Only the executor's
/// static type is known here: a call through an <c>IExecutor</c> or <c>Executor</c> variable, and <c>Then…</c>
/// stubs (which run on the executor of their source future), are not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PIPE0107ProcessPoolSerializationAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "PIPE0107";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id,
        title: "Argument or result cannot travel to a process pool",
        messageFormat: "'{0}' cannot run in a process pool: {1}; {2}, or submit this call to a ThreadPoolExecutor",
        category: "Pipelines.Usage",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A ProcessPoolExecutor runs static, non-generic [Submittable] methods in worker processes and sends their arguments and results as System.Text.Json. Behaviour (delegates), handles (pointers, streams, IntPtr), reflection metadata and types JSON cannot create (object, dynamic, abstract classes, most interfaces) do not survive the trip: the call fails at run time or the method receives something else.",
        helpLinkUri: "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/analyzers/PIPE0107.md");

    private const string PassData = "pass data, not behaviour";
    private const string UseConcreteType = "use a concrete record or class";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            PipelinesTypes? types = PipelinesTypes.TryCreate(start.Compilation);
            INamedTypeSymbol? processPool = start.Compilation.GetTypeByMetadataName("Pipelines.ProcessPoolExecutor");
            INamedTypeSymbol? stubFor = start.Compilation.GetTypeByMetadataName("Pipelines.Advanced.StubForAttribute");
            if (types is null || processPool is null || stubFor is null)
            {
                return;
            }

            var transport = new JsonTransport(start.Compilation, types);
            var methods = new ConcurrentDictionary<string, ImmutableArray<Problem>>();
            start.RegisterOperationAction(
                operationContext => Analyze(operationContext, types, processPool, stubFor, transport, methods),
                OperationKind.Invocation);
        });
    }

    private static void Analyze(
        OperationAnalysisContext context,
        PipelinesTypes types,
        INamedTypeSymbol processPool,
        INamedTypeSymbol stubFor,
        JsonTransport transport,
        ConcurrentDictionary<string, ImmutableArray<Problem>> methods)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol stub = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;

        // Submit stubs only: a Then stub's first parameter is its source future, whose executor is not known here.
        if (!stub.IsExtensionMethod
            || stub.Parameters.Length == 0
            || !PipelinesTypes.Is(stub.Parameters[0].Type, types.IExecutor)
            || !TryReadStubFor(stub, stubFor, out string methodId, out bool runsInProcessPools)
            || !IsProcessPool(ExecutorType(invocation), processPool))
        {
            return;
        }

        ImmutableArray<Problem> problems = methods.GetOrAdd(methodId, id => Find(id, runsInProcessPools, context.Compilation, transport));
        foreach (Problem problem in problems)
        {
            Location location = invocation.Syntax.GetLocation();
            if (problem.Parameter is not null)
            {
                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Name == problem.Parameter)
                    {
                        // The expression, not the argument: a named argument's 'name:' is not at fault.
                        // (The operation's own syntax may be the expression inside a trailing '!'.)
                        location = (argument.Syntax.FirstAncestorOrSelf<ArgumentSyntax>()?.Expression ?? argument.Syntax).GetLocation();
                        break;
                    }
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, location, problem.Method, problem.Reason, problem.Advice));
        }
    }

    private static bool TryReadStubFor(IMethodSymbol stub, INamedTypeSymbol stubFor, out string methodId, out bool runsInProcessPools)
    {
        foreach (AttributeData attribute in stub.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, stubFor)
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[0].Value is string id
                && attribute.ConstructorArguments[1].Value is bool runs)
            {
                methodId = id;
                runsInProcessPools = runs;
                return true;
            }
        }

        methodId = string.Empty;
        runsInProcessPools = false;
        return false;
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

    private static bool IsProcessPool(ITypeSymbol? type, INamedTypeSymbol processPool)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, processPool))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What stops the method with <paramref name="methodId"/> from running in a process pool; empty when nothing does.</summary>
    private static ImmutableArray<Problem> Find(string methodId, bool runsInProcessPools, Compilation compilation, JsonTransport transport)
    {
        var method = DocumentationCommentId.GetFirstSymbolForDeclarationId(methodId, compilation) as IMethodSymbol;
        string name = method is null ? methodId : method.ContainingType.Name + "." + method.Name;
        if (!runsInProcessPools)
        {
            (string reason, string advice) = method switch
            {
                { IsStatic: false } => ("it is an instance method, and process pools run only static, non-generic [Submittable] methods", "make it static and pass the state it needs as arguments"),
                { IsGenericMethod: true } => ("it is a generic method, and process pools run only static, non-generic [Submittable] methods", "add a non-generic [Submittable] method for the types you need"),
                not null => ("it mentions 'dynamic', which process pools cannot send", UseConcreteType),
                null => ("process pools run only static, non-generic [Submittable] methods", "make the method static and non-generic"),
            };
            return ImmutableArray.Create(new Problem(name, null, reason, advice));
        }

        if (method is null)
        {
            return ImmutableArray<Problem>.Empty;
        }

        ImmutableArray<Problem>.Builder problems = ImmutableArray.CreateBuilder<Problem>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            // A CancellationToken is not sent: the worker passes its own, cancelled when the call is.
            if (PipelinesTypes.Is(parameter.Type, transport.CancellationToken))
            {
                continue;
            }

            if (transport.FindUnsendable(parameter.Type, isParameter: true) is { } unsendable)
            {
                problems.Add(new Problem(
                    name,
                    parameter.Name,
                    $"parameter '{parameter.Name}' has type '{Display(parameter.Type)}'{Whose(parameter.Type, unsendable.Type)}{unsendable.What}",
                    unsendable.Advice));
            }
        }

        ITypeSymbol? result = transport.ResultOf(method);
        if (result is not null && transport.FindUnsendable(result, isParameter: false) is { } unsendableResult)
        {
            problems.Add(new Problem(
                name,
                null,
                $"its result has type '{Display(result)}'{Whose(result, unsendableResult.Type)}{unsendableResult.What}",
                unsendableResult.Advice));
        }

        return problems.ToImmutable();
    }

    private static string Whose(ITypeSymbol declared, ITypeSymbol inner)
        => SymbolEqualityComparer.Default.Equals(declared, inner) ? ", " : $", and its '{Display(inner)}' is ";

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    private sealed class Problem
    {
        public Problem(string method, string? parameter, string reason, string advice)
        {
            Method = method;
            Parameter = parameter;
            Reason = reason;
            Advice = advice;
        }

        public string Method { get; }

        /// <summary>The parameter at fault, or null for the method itself or its result.</summary>
        public string? Parameter { get; }

        public string Reason { get; }

        public string Advice { get; }
    }

    private sealed class Unsendable
    {
        public Unsendable(ITypeSymbol type, string what, string advice)
        {
            Type = type;
            What = what;
            Advice = advice;
        }

        /// <summary>The type at fault: the declared type, or an element or type argument inside it.</summary>
        public ITypeSymbol Type { get; }

        public string What { get; }

        public string Advice { get; }
    }

    /// <summary>Which types System.Text.Json can send to a worker process and read back as the same type.</summary>
    private sealed class JsonTransport
    {
        private readonly PipelinesTypes _types;
        private readonly INamedTypeSymbol? _valueTask;
        private readonly INamedTypeSymbol? _stream;
        private readonly INamedTypeSymbol? _type;
        private readonly INamedTypeSymbol? _memberInfo;
        private readonly INamedTypeSymbol? _nonGenericEnumerable;
        private readonly ImmutableArray<INamedTypeSymbol> _collectionInterfaces;

        public JsonTransport(Compilation compilation, PipelinesTypes types)
        {
            _types = types;
            _valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            _stream = compilation.GetTypeByMetadataName("System.IO.Stream");
            _type = compilation.GetTypeByMetadataName("System.Type");
            _memberInfo = compilation.GetTypeByMetadataName("System.Reflection.MemberInfo");
            _nonGenericEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
            CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");

            // The interfaces System.Text.Json deserializes by creating a List<T>, HashSet<T> or Dictionary<TKey, TValue>.
            ImmutableArray<INamedTypeSymbol>.Builder interfaces = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            foreach (string name in new[]
            {
                "System.Collections.Generic.IEnumerable`1",
                "System.Collections.Generic.ICollection`1",
                "System.Collections.Generic.IList`1",
                "System.Collections.Generic.IReadOnlyCollection`1",
                "System.Collections.Generic.IReadOnlyList`1",
                "System.Collections.Generic.ISet`1",
                "System.Collections.Generic.IReadOnlySet`1",
                "System.Collections.Generic.IDictionary`2",
                "System.Collections.Generic.IReadOnlyDictionary`2",
            })
            {
                if (compilation.GetTypeByMetadataName(name) is { } symbol)
                {
                    interfaces.Add(symbol);
                }
            }

            _collectionInterfaces = interfaces.ToImmutable();
        }

        public INamedTypeSymbol? CancellationToken { get; }

        /// <summary>The type a worker sends back: <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, nothing for void and plain tasks.</summary>
        public ITypeSymbol? ResultOf(IMethodSymbol method)
        {
            ITypeSymbol returnType = method.ReturnType;
            if (method.ReturnsVoid || PipelinesTypes.Is(returnType, _types.Task) || PipelinesTypes.Is(returnType, _valueTask))
            {
                return null;
            }

            return (PipelinesTypes.Is(returnType, _types.TaskOfT) || PipelinesTypes.Is(returnType, _types.ValueTaskOfT))
                && returnType is INamedTypeSymbol { TypeArguments.Length: 1 } task
                    ? task.TypeArguments[0]
                    : returnType;
        }

        /// <summary>The first part of <paramref name="type"/> JSON cannot round-trip, looking through arrays, nullables and collections.</summary>
        public Unsendable? FindUnsendable(ITypeSymbol type, bool isParameter)
        {
            switch (type)
            {
                case { TypeKind: TypeKind.Dynamic }:
                    return new Unsendable(type, "a type that arrives in the worker as a JsonElement, not as the value that was sent", UseConcreteType);
                case { SpecialType: SpecialType.System_Object }:
                    return new Unsendable(type, "a type that arrives in the worker as a JsonElement, not as the value that was sent", UseConcreteType);
                case { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer }:
                    return new Unsendable(type, "a pointer, meaningless in another process", "pass the data it points to");
                case { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                    return new Unsendable(type, "a native handle or address, meaningless in another process", "pass the data instead");
                case { TypeKind: TypeKind.Delegate }:
                    return new Unsendable(type, "a delegate, which System.Text.Json cannot send", PassData);
                case IArrayTypeSymbol array:
                    return array.IsSZArray
                        ? FindUnsendable(array.ElementType, isParameter)
                        : new Unsendable(type, "a multi-dimensional array, which System.Text.Json cannot send", "use a jagged array");
                case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                    return FindUnsendable(nullable.TypeArguments[0], isParameter);
            }

            if (_types.IsTaskLike(type) || PipelinesTypes.Is(type, _types.Task) || PipelinesTypes.Is(type, _valueTask))
            {
                return isParameter
                    ? new Unsendable(type, "a task, which cannot cross processes", "take the task's result type instead (the stub accepts a future of it)")
                    : new Unsendable(type, "a task, which cannot cross processes", "return the value itself");
            }

            if (DerivesFrom(type, _stream))
            {
                return new Unsendable(type, "a stream, which cannot cross processes", "pass the bytes or a file path");
            }

            if (DerivesFrom(type, _type) || DerivesFrom(type, _memberInfo))
            {
                return new Unsendable(type, "reflection metadata, which System.Text.Json cannot send", "pass a name and look it up in the worker");
            }

            if (type is not INamedTypeSymbol named)
            {
                return null;
            }

            if (named.TypeKind == TypeKind.Interface)
            {
                return IsCollectionInterface(named)
                    ? FindInTypeArguments(named, isParameter)
                    : new Unsendable(type, "an interface System.Text.Json cannot create", UseConcreteType);
            }

            if (named.TypeKind == TypeKind.Class && named.IsAbstract && !named.IsStatic)
            {
                return new Unsendable(type, "an abstract class System.Text.Json cannot create", UseConcreteType);
            }

            // A generic collection (List<T>, Dictionary<TKey, TValue>, ImmutableArray<T>…) carries its elements.
            return named.IsGenericType && Implements(named, _nonGenericEnumerable)
                ? FindInTypeArguments(named, isParameter)
                : null;
        }

        private Unsendable? FindInTypeArguments(INamedTypeSymbol type, bool isParameter)
        {
            foreach (ITypeSymbol argument in type.TypeArguments)
            {
                if (FindUnsendable(argument, isParameter) is { } unsendable)
                {
                    return unsendable;
                }
            }

            return null;
        }

        private bool IsCollectionInterface(INamedTypeSymbol type)
        {
            foreach (INamedTypeSymbol candidate in _collectionInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, candidate))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? baseType)
        {
            if (baseType is null)
            {
                return false;
            }

            for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol? implemented)
        {
            if (implemented is null)
            {
                return false;
            }

            foreach (INamedTypeSymbol candidate in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, implemented))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
