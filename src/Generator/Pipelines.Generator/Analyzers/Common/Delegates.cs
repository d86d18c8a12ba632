using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>A method that reaches a submitter or <c>OnDone</c> as a delegate, and how the message says it got there.</summary>
internal readonly struct PassedMethod
{
    public PassedMethod(IMethodSymbol method, string how)
    {
        Method = method;
        How = how;
    }

    /// <summary>The method's definition.</summary>
    public IMethodSymbol Method { get; }

    /// <summary>E.g. <c>'Handlers.Drain' is passed to 'Submit'</c>.</summary>
    public string How { get; }
}

/// <summary>Where delegates go: the call a lambda is handed to, and the methods a call receives as method groups.</summary>
internal static class Delegates
{
    /// <summary>The invocation or object creation a lambda or method group is an argument of, through conversions to <c>FutureOr&lt;…&gt;</c>.</summary>
    public static IOperation? DirectTargetOf(IOperation function)
    {
        IOperation? current = function.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument ? argument.Parent : null;
    }

    /// <summary>
    /// The call a lambda is handed to: directly as an argument, or stored in a local that is then passed to a call
    /// <paramref name="isInteresting"/> accepts (<c>Func&lt;int&gt; work = () => …; pool.Submit(work);</c>).
    /// <paramref name="local"/> is the local it went through, if any.
    /// </summary>
    public static IOperation? TargetOf(IAnonymousFunctionOperation function, System.Func<IInvocationOperation, bool> isInteresting, out ILocalSymbol? local)
    {
        local = null;
        if (DirectTargetOf(function) is { } direct)
        {
            return direct;
        }

        IOperation current = function;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        local = current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation reference } assignment when assignment.Value == current => reference.Local,
            _ => null,
        };

        return local is null ? null : FirstCallReceiving(local, function, isInteresting);
    }

    /// <summary>
    /// The methods <paramref name="invocation"/> receives as method groups: <c>pool.Submit(Handlers.Drain)</c>, or a
    /// local given a method group once (<c>Func&lt;int&gt; work = Drain; pool.Submit(work);</c>).
    /// </summary>
    public static IEnumerable<PassedMethod> MethodGroupsPassedTo(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = StripConversions(argument.Value);
            string? via = null;
            if (value is ILocalReferenceOperation { Local: { } local } && Locals.SingleValue(local, invocation, out int tupleIndex) is { } stored && tupleIndex < 0)
            {
                value = StripConversions(stored);
                via = local.Name;
            }

            if (value is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
            {
                IMethodSymbol method = reference.Method.OriginalDefinition;
                string name = Names.Of(method);
                yield return new PassedMethod(
                    method,
                    via is null ? $"'{name}' is passed to '{invocation.TargetMethod.Name}'" : $"'{name}', stored in '{via}', is passed to '{invocation.TargetMethod.Name}'");
            }
        }
    }

    private static IOperation? FirstCallReceiving(ILocalSymbol local, IOperation inScope, System.Func<IInvocationOperation, bool> isInteresting)
    {
        foreach (IOperation operation in Locals.Root(inScope).Descendants())
        {
            if (operation is IArgumentOperation { Parent: IInvocationOperation invocation } argument
                && StripConversions(argument.Value) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && isInteresting(invocation))
            {
                return invocation;
            }
        }

        return null;
    }

    private static IOperation StripConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}

/// <summary>How messages name methods: <c>Type.Method</c>, or a local function's own name.</summary>
internal static class Names
{
    public static string Of(IMethodSymbol method) => method switch
    {
        { MethodKind: MethodKind.LocalFunction } => method.Name,
        { AssociatedSymbol: IPropertySymbol property } => property.ContainingType.Name + "." + property.Name,
        _ => method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name,
    };
}
