using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>The part of a type System.Text.Json cannot send, what it is, and what to use instead.</summary>
internal sealed class Unsendable
{
    public Unsendable(ITypeSymbol type, string what, string advice)
    {
        Type = type;
        What = what;
        Advice = advice;
    }

    /// <summary>The type at fault: the declared type, or an element or type argument inside it.</summary>
    public ITypeSymbol Type { get; }

    /// <summary>What the type is, as the message says it ("a delegate, which System.Text.Json cannot send").</summary>
    public string What { get; }

    /// <summary>What to pass instead.</summary>
    public string Advice { get; }
}

/// <summary>Which types System.Text.Json can send to a worker process and read back as the same type.</summary>
internal static class JsonTransport
{
    public const string PassData = "pass data, not behaviour";
    public const string UseConcreteType = "use a concrete record or class";

    private const string ArrivesAsJsonElement = "a type that arrives in the worker as a JsonElement, not as the value that was sent";

    /// <summary>The type a worker sends back: <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, nothing for void and plain tasks.</summary>
    public static ITypeSymbol? ResultOf(IMethodSymbol method, PipelinesTypes types)
    {
        ITypeSymbol returnType = method.ReturnType;
        if (method.ReturnsVoid || PipelinesTypes.Is(returnType, types.Task) || PipelinesTypes.Is(returnType, types.ValueTask))
        {
            return null;
        }

        return (PipelinesTypes.Is(returnType, types.TaskOfT) || PipelinesTypes.Is(returnType, types.ValueTaskOfT))
            && returnType is INamedTypeSymbol { TypeArguments.Length: 1 } task
                ? task.TypeArguments[0]
                : returnType;
    }

    /// <summary>The first part of <paramref name="type"/> JSON cannot round-trip, looking through arrays, nullables and collections.</summary>
    public static Unsendable? FindUnsendable(ITypeSymbol type, bool isParameter, PipelinesTypes types)
    {
        switch (type)
        {
            case { TypeKind: TypeKind.Dynamic } or { SpecialType: SpecialType.System_Object }:
                return new Unsendable(type, ArrivesAsJsonElement, UseConcreteType);
            case { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer }:
                return new Unsendable(type, "a pointer, meaningless in another process", "pass the data it points to");
            case { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                return new Unsendable(type, "a native handle or address, meaningless in another process", "pass the data instead");
            case { TypeKind: TypeKind.Delegate }:
                return new Unsendable(type, "a delegate, which System.Text.Json cannot send", PassData);
            case IArrayTypeSymbol array:
                return array.IsSZArray
                    ? FindUnsendable(array.ElementType, isParameter, types)
                    : new Unsendable(type, "a multi-dimensional array, which System.Text.Json cannot send", "use a jagged array");
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return FindUnsendable(nullable.TypeArguments[0], isParameter, types);
        }

        if (types.IsTaskLike(type))
        {
            return new Unsendable(type, "a task, which cannot cross processes", isParameter ? "take the task's result type instead (the stub accepts a future of it)" : "return the value itself");
        }

        if (PipelinesTypes.DerivesFrom(type, types.Stream))
        {
            return new Unsendable(type, "a stream, which cannot cross processes", "pass the bytes or a file path");
        }

        if (PipelinesTypes.DerivesFrom(type, types.Type) || PipelinesTypes.DerivesFrom(type, types.MemberInfo))
        {
            return new Unsendable(type, "reflection metadata, which System.Text.Json cannot send", "pass a name and look it up in the worker");
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            return IsJsonCollectionInterface(named, types)
                ? FindInTypeArguments(named, isParameter, types)
                : new Unsendable(type, "an interface System.Text.Json cannot create", UseConcreteType);
        }

        if (named.TypeKind == TypeKind.Class && named.IsAbstract && !named.IsStatic)
        {
            return new Unsendable(type, "an abstract class System.Text.Json cannot create", UseConcreteType);
        }

        // A generic collection (List<T>, Dictionary<TKey, TValue>, ImmutableArray<T>…) carries its elements.
        return named.IsGenericType && PipelinesTypes.Implements(named, types.NonGenericEnumerable)
            ? FindInTypeArguments(named, isParameter, types)
            : null;
    }

    private static Unsendable? FindInTypeArguments(INamedTypeSymbol type, bool isParameter, PipelinesTypes types)
    {
        foreach (ITypeSymbol argument in type.TypeArguments)
        {
            if (FindUnsendable(argument, isParameter, types) is { } unsendable)
            {
                return unsendable;
            }
        }

        return null;
    }

    private static bool IsJsonCollectionInterface(INamedTypeSymbol type, PipelinesTypes types)
    {
        foreach (INamedTypeSymbol candidate in types.JsonCollectionInterfaces)
        {
            if (PipelinesTypes.Is(type, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
