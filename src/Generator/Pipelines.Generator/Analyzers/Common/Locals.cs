using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>Facts about a local variable, read from the function that declares it.</summary>
internal static class Locals
{
    /// <summary>
    /// The one value <paramref name="local"/> is ever given: its initializer, its one assignment, or the tuple a
    /// deconstruction takes it from (<paramref name="tupleIndex"/> is then its position, otherwise -1). Null when it
    /// is given a value more than once, passed by reference, a loop variable, or never given one.
    /// </summary>
    /// <param name="local">The local.</param>
    /// <param name="inScope">Any operation in the function that declares it.</param>
    /// <param name="tupleIndex">The local's position in a deconstruction, or -1.</param>
    public static IOperation? SingleValue(ILocalSymbol local, IOperation inScope, out int tupleIndex)
    {
        tupleIndex = -1;
        IOperation? value = null;
        int assignments = 0;
        foreach (IOperation operation in Root(inScope).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when Is(declarator.Symbol, local):
                    if (declarator.Initializer is { } initializer)
                    {
                        value = initializer.Value;
                        assignments++;
                    }
                    else if (declarator.Parent is not IVariableDeclarationOperation)
                    {
                        return null; // a foreach or catch variable: given a value by the loop or the exception.
                    }

                    break;
                case ISimpleAssignmentOperation assignment when Refers(assignment.Target, local):
                    value = assignment.Value;
                    assignments++;
                    break;
                case IDeconstructionAssignmentOperation deconstruction when PositionIn(deconstruction.Target, local) is int position and >= 0:
                    value = deconstruction.Value;
                    tupleIndex = position;
                    assignments++;
                    break;
                case ICompoundAssignmentOperation compound when Refers(compound.Target, local):
                    return null;
                case IIncrementOrDecrementOperation increment when Refers(increment.Target, local):
                    return null;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None } argument when Refers(argument.Value, local):
                    return null;
                case IForEachLoopOperation loop when loop.LoopControlVariable is IVariableDeclaratorOperation control && Is(control.Symbol, local):
                    return null;
            }
        }

        return assignments == 1 ? value : null;
    }

    /// <summary>
    /// The function a piece of code belongs to: the innermost lambda or local function around it that does not run
    /// inline (LINQ lambdas do, see <see cref="Sequences.IsInline"/>), or the member body. Code in one function runs in
    /// textual order; code in a lambda handed elsewhere does not order with the code around it.
    /// </summary>
    public static IOperation FunctionOf(IOperation operation, PipelinesTypes types)
    {
        IOperation current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is ILocalFunctionOperation || (parent is IAnonymousFunctionOperation function && !Sequences.IsInline(function, types)))
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    /// <summary>The outermost operation above <paramref name="operation"/>: the body of the member (or top-level code).</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    private static int PositionIn(IOperation target, ILocalSymbol local)
    {
        if (target is IDeclarationExpressionOperation declaration)
        {
            target = declaration.Expression;
        }

        if (target is ITupleOperation tuple)
        {
            for (int i = 0; i < tuple.Elements.Length; i++)
            {
                IOperation element = tuple.Elements[i] is IDeclarationExpressionOperation inner ? inner.Expression : tuple.Elements[i];
                if (Refers(element, local))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static bool Refers(IOperation? operation, ILocalSymbol local)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation is ILocalReferenceOperation reference && Is(reference.Local, local);
    }

    private static bool Is(ILocalSymbol candidate, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(candidate, local);
}
