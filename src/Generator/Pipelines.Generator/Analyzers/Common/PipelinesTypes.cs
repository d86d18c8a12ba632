using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Every runtime and BCL type the analyzers look for, resolved once per compilation (vs-threading's
/// <c>CommonInterest</c>). A compilation that does not reference the Pipelines runtime gets no instance, and the
/// rules register nothing for it. Optional types are null when the compilation's framework lacks them.
/// </summary>
internal sealed class PipelinesTypes
{
    private PipelinesTypes(Compilation compilation, INamedTypeSymbol future, INamedTypeSymbol futureOfT, INamedTypeSymbol executor)
    {
        Future = future;
        FutureOfT = futureOfT;
        IExecutor = executor;
        Futures = Get(compilation, "Pipelines.Futures");
        ExecutorExtensions = Get(compilation, "Pipelines.ExecutorExtensions");
        FutureOr = Get(compilation, "Pipelines.FutureOr`1");
        SubmittableAttribute = Get(compilation, SubmittableGenerator.AttributeName);
        StubForAttribute = Get(compilation, "Pipelines.Internals.StubForAttribute");
        ProcessPoolExecutor = Get(compilation, "Pipelines.ProcessPoolExecutor");
        Task = Get(compilation, "System.Threading.Tasks.Task");
        TaskOfT = Get(compilation, "System.Threading.Tasks.Task`1");
        ValueTask = Get(compilation, "System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Get(compilation, "System.Threading.Tasks.ValueTask`1");
        TaskFactory = Get(compilation, "System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = Get(compilation, "System.Threading.Tasks.TaskFactory`1");
        Awaiters = GetAll(
            compilation,
            "System.Runtime.CompilerServices.TaskAwaiter",
            "System.Runtime.CompilerServices.TaskAwaiter`1",
            "System.Runtime.CompilerServices.ValueTaskAwaiter",
            "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter",
            "Pipelines.FutureAwaiter",
            "Pipelines.FutureAwaiter`1");
        CancellationToken = Get(compilation, "System.Threading.CancellationToken");
        Thread = Get(compilation, "System.Threading.Thread");
        ThreadPool = Get(compilation, "System.Threading.ThreadPool");
        Enumerable = Get(compilation, "System.Linq.Enumerable");
        ListOfT = Get(compilation, "System.Collections.Generic.List`1");
        Array = compilation.GetSpecialType(SpecialType.System_Array);
        NonGenericEnumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
        Stream = Get(compilation, "System.IO.Stream");
        Type = Get(compilation, "System.Type");
        MemberInfo = Get(compilation, "System.Reflection.MemberInfo");

        // The interfaces System.Text.Json deserializes by creating a List<T>, HashSet<T> or Dictionary<TKey, TValue>.
        JsonCollectionInterfaces = GetAll(
            compilation,
            "System.Collections.Generic.IEnumerable`1",
            "System.Collections.Generic.ICollection`1",
            "System.Collections.Generic.IList`1",
            "System.Collections.Generic.IReadOnlyCollection`1",
            "System.Collections.Generic.IReadOnlyList`1",
            "System.Collections.Generic.ISet`1",
            "System.Collections.Generic.IReadOnlySet`1",
            "System.Collections.Generic.IDictionary`2",
            "System.Collections.Generic.IReadOnlyDictionary`2");

        foreach (ISymbol member in executor.GetMembers("Shutdown"))
        {
            Shutdown ??= member as IMethodSymbol;
        }

        ImmutableArray<IMethodSymbol>.Builder returnsReceiver = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (string name in ReceiverReturningMethodNames)
        {
            foreach (INamedTypeSymbol type in new[] { future, futureOfT })
            {
                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (member is IMethodSymbol { IsStatic: false } method)
                    {
                        returnsReceiver.Add(method);
                    }
                }
            }
        }

        ReceiverReturningMethods = returnsReceiver.ToImmutable();
    }

    /// <summary>
    /// The runtime's methods on <c>Future</c> and <c>Future&lt;T&gt;</c> that return the future they are called on, so a
    /// call can be chained (<c>pool.SubmitWork(x).CancelAfter(timeout)</c>): their result is their receiver, and a
    /// statement that drops it drops only what the receiver's own expression made. Every such runtime member is listed;
    /// a test in Generator.Tests checks the list against the runtime.
    /// </summary>
    internal static readonly ImmutableArray<string> ReceiverReturningMethodNames = ImmutableArray.Create("CancelAfter");

    public INamedTypeSymbol Future { get; }

    public INamedTypeSymbol FutureOfT { get; }

    public INamedTypeSymbol IExecutor { get; }

    /// <summary><c>IExecutor.Shutdown(bool wait, bool cancelFutures)</c>.</summary>
    public IMethodSymbol? Shutdown { get; }

    public INamedTypeSymbol? Futures { get; }

    public INamedTypeSymbol? ExecutorExtensions { get; }

    public INamedTypeSymbol? FutureOr { get; }

    public INamedTypeSymbol? SubmittableAttribute { get; }

    /// <summary>The attribute the generator puts on every stub; the one way a stub is recognised (<see cref="GeneratedStubs"/>).</summary>
    public INamedTypeSymbol? StubForAttribute { get; }

    public INamedTypeSymbol? ProcessPoolExecutor { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskFactoryOfT { get; }

    /// <summary>The task awaiters whose <c>GetResult()</c> blocks: plain, generic, value-task and configured.</summary>
    public ImmutableArray<INamedTypeSymbol> Awaiters { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? Enumerable { get; }

    public INamedTypeSymbol? ListOfT { get; }

    public INamedTypeSymbol Array { get; }

    public INamedTypeSymbol NonGenericEnumerable { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? Type { get; }

    public INamedTypeSymbol? MemberInfo { get; }

    public ImmutableArray<INamedTypeSymbol> JsonCollectionInterfaces { get; }

    /// <summary>The methods named by <see cref="ReceiverReturningMethodNames"/>, as declared on <c>Future</c> and <c>Future&lt;T&gt;</c>.</summary>
    public ImmutableArray<IMethodSymbol> ReceiverReturningMethods { get; }

    /// <summary>Resolves the types; null when the compilation does not reference the Pipelines runtime.</summary>
    public static PipelinesTypes? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? future = Get(compilation, "Pipelines.Future");
        INamedTypeSymbol? futureOfT = Get(compilation, "Pipelines.Future`1");
        INamedTypeSymbol? executor = Get(compilation, "Pipelines.IExecutor");
        return future is null || futureOfT is null || executor is null
            ? null
            : new PipelinesTypes(compilation, future, futureOfT, executor);
    }

    /// <summary>True for <c>Future</c>, <c>Future&lt;T&gt;</c> and any class derived from them.</summary>
    public bool IsFuture(ITypeSymbol? type) => DerivesFrom(type, Future) || DerivesFrom(type, FutureOfT);

    /// <summary>True for <c>Future&lt;T&gt;</c> itself (not a derived class); <paramref name="resultType"/> is its <c>T</c>.</summary>
    public bool IsFutureOfT(ITypeSymbol? type, out ITypeSymbol? resultType)
    {
        if (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, FutureOfT))
        {
            resultType = named.TypeArguments[0];
            return true;
        }

        resultType = null;
        return false;
    }

    /// <summary>True when <paramref name="method"/> returns the future it is called on (<see cref="ReceiverReturningMethodNames"/>).</summary>
    public bool ReturnsItsReceiver(IMethodSymbol method)
    {
        foreach (IMethodSymbol candidate in ReceiverReturningMethods)
        {
            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for <c>Future</c> and <c>Future&lt;T&gt;</c> themselves.</summary>
    public bool IsFutureType(INamedTypeSymbol? type) => Is(type, Future) || Is(type, FutureOfT);

    /// <summary>True for <c>IExecutor</c> and every type that implements it.</summary>
    public bool IsExecutor(ITypeSymbol? type) => Is(type, IExecutor) || Implements(type, IExecutor);

    /// <summary>True for <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> and <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
        => Is(type, Task) || Is(type, TaskOfT) || Is(type, ValueTask) || Is(type, ValueTaskOfT);

    public bool IsAwaiter(ITypeSymbol? type)
    {
        foreach (INamedTypeSymbol awaiter in Awaiters)
        {
            if (Is(type, awaiter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/>'s definition is <paramref name="expected"/>.</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>True when <paramref name="type"/> or one of its base classes is <paramref name="baseType"/> (by definition).</summary>
    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (ITypeSymbol? current = type; current is not null && baseType is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> implements <paramref name="implemented"/> (by definition).</summary>
    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? implemented)
    {
        if (type is null || implemented is null)
        {
            return false;
        }

        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, implemented))
            {
                return true;
            }
        }

        return false;
    }

    private static INamedTypeSymbol? Get(Compilation compilation, string metadataName) => compilation.GetTypeByMetadataName(metadataName);

    private static ImmutableArray<INamedTypeSymbol> GetAll(Compilation compilation, params string[] metadataNames)
    {
        ImmutableArray<INamedTypeSymbol>.Builder types = ImmutableArray.CreateBuilder<INamedTypeSymbol>(metadataNames.Length);
        foreach (string name in metadataNames)
        {
            if (Get(compilation, name) is { } type)
            {
                types.Add(type);
            }
        }

        return types.ToImmutable();
    }
}
