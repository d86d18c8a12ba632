using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Generated <c>Submit…</c>/<c>Then…</c> stubs, recognised one way: the generator marks every stub
/// <c>[StubFor(methodId, runsInProcessPools)]</c>. A hand-written method of the same shape is not a stub.
/// </summary>
internal static class GeneratedStubs
{
    /// <summary>True for a generated stub (called as an extension or statically).</summary>
    public static bool IsStub(IMethodSymbol method, PipelinesTypes types) => TryRead(method, types, out _, out _);

    /// <summary>True for a <c>Submit…</c> stub: a generated stub whose first parameter is the executor.</summary>
    public static bool IsSubmitStub(IMethodSymbol method, PipelinesTypes types)
    {
        IMethodSymbol definition = method.ReducedFrom ?? method;
        return definition.Parameters.Length > 0
            && PipelinesTypes.Is(definition.Parameters[0].Type, types.IExecutor)
            && IsStub(definition, types);
    }

    /// <summary>Reads a stub's <c>[StubFor]</c>: the documentation ID of the method it calls, and whether process pools can run it.</summary>
    public static bool TryRead(IMethodSymbol method, PipelinesTypes types, out string methodId, out bool runsInProcessPools)
    {
        // The shape first, attributes (slow to read) only for a candidate: a stub extends an executor or a future.
        IMethodSymbol definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (definition.IsExtensionMethod
            && types.StubForAttribute is not null
            && definition.Parameters.Length > 0
            && (PipelinesTypes.Is(definition.Parameters[0].Type, types.IExecutor) || types.IsFutureType(definition.Parameters[0].Type as INamedTypeSymbol)))
        {
            foreach (AttributeData attribute in definition.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.StubForAttribute)
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[0].Value is string id
                    && attribute.ConstructorArguments[1].Value is bool runs)
                {
                    methodId = id;
                    runsInProcessPools = runs;
                    return true;
                }
            }
        }

        methodId = string.Empty;
        runsInProcessPools = false;
        return false;
    }
}
