using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// The runtime and BCL types the analyzers look for, resolved once per compilation. A compilation that does not
/// reference the Pipelines runtime gets no instance, and the rules register nothing for it.
/// </summary>
internal sealed class PipelinesTypes
{
    private PipelinesTypes(Compilation compilation, INamedTypeSymbol future, INamedTypeSymbol futureOfT, INamedTypeSymbol executor)
    {
        Future = future;
        FutureOfT = futureOfT;
        IExecutor = executor;
        Futures = compilation.GetTypeByMetadataName("Pipelines.Futures");
        ExecutorExtensions = compilation.GetTypeByMetadataName("Pipelines.ExecutorExtensions");
        FutureOr = compilation.GetTypeByMetadataName("Pipelines.FutureOr`1");
        SubmittableAttribute = compilation.GetTypeByMetadataName("Pipelines.SubmittableAttribute");
        GeneratedCodeAttribute = compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        TaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter");
        TaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter`1");
        ValueTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter");
        ValueTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter`1");
        ConfiguredTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter");
        ConfiguredTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter");
    }

    public INamedTypeSymbol Future { get; }

    public INamedTypeSymbol FutureOfT { get; }

    public INamedTypeSymbol IExecutor { get; }

    public INamedTypeSymbol? Futures { get; }

    public INamedTypeSymbol? ExecutorExtensions { get; }

    public INamedTypeSymbol? FutureOr { get; }

    public INamedTypeSymbol? SubmittableAttribute { get; }

    public INamedTypeSymbol? GeneratedCodeAttribute { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskAwaiter { get; }

    public INamedTypeSymbol? TaskAwaiterOfT { get; }

    public INamedTypeSymbol? ValueTaskAwaiter { get; }

    public INamedTypeSymbol? ValueTaskAwaiterOfT { get; }

    public INamedTypeSymbol? ConfiguredTaskAwaiter { get; }

    public INamedTypeSymbol? ConfiguredTaskAwaiterOfT { get; }

    /// <summary>Resolves the types; null when the compilation does not reference the Pipelines runtime.</summary>
    public static PipelinesTypes? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? future = compilation.GetTypeByMetadataName("Pipelines.Future");
        INamedTypeSymbol? futureOfT = compilation.GetTypeByMetadataName("Pipelines.Future`1");
        INamedTypeSymbol? executor = compilation.GetTypeByMetadataName("Pipelines.IExecutor");
        return future is null || futureOfT is null || executor is null
            ? null
            : new PipelinesTypes(compilation, future, futureOfT, executor);
    }

    /// <summary>True for <c>Future</c>, <c>Future&lt;T&gt;</c> and any class derived from them.</summary>
    public bool IsFuture(ITypeSymbol? type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Future)
                || SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, FutureOfT))
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>True for <c>IExecutor</c> and every type that implements it.</summary>
    public bool IsExecutor(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, IExecutor))
        {
            return true;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, IExecutor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for <c>Task</c>, <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
        => type is not null
            && (Is(type, Task) || Is(type, TaskOfT) || Is(type, ValueTaskOfT));

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
