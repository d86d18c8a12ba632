using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>The textual-order half of <see cref="CompletedFutures"/>: guards around a wait, and waits before it.</summary>
internal static partial class CompletedFutures
{
    /// <summary>A guard around the wait that proves <paramref name="receiver"/> done, or an earlier wait for it in the same function.</summary>
    private static bool IsGuardedOrCompletedEarlier(IOperation wait, ISymbol receiver, PipelinesTypes types)
    {
        for (IOperation? current = wait.Parent, child = wait; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IConditionalOperation conditional when conditional.WhenTrue == child && ProvesDone(conditional.Condition, receiver):
                    return true;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when conjunction.RightOperand == child && ProvesDone(conjunction.LeftOperand, receiver):
                    return true;
                case ILocalFunctionOperation:
                case IAnonymousFunctionOperation function when !Sequences.IsInline(function, types):
                    return CompletedEarlier(current, wait, receiver, types);
            }
        }

        return CompletedEarlier(Locals.FunctionOf(wait, types), wait, receiver, types);
    }

    /// <summary>An await, <c>Wait()</c> or wait-for-all naming <paramref name="receiver"/>, or an exiting <c>!IsDone</c> guard, before the wait in <paramref name="scope"/>.</summary>
    private static bool CompletedEarlier(IOperation scope, IOperation wait, ISymbol receiver, PipelinesTypes types)
    {
        int waitStart = wait.Syntax.SpanStart;
        foreach (IOperation operation in scope.Descendants())
        {
            if (operation.Syntax.Span.End > waitStart)
            {
                continue;
            }

            bool proves = operation switch
            {
                IAwaitOperation awaited => Refers(awaited.Operation, receiver) || WaitsForAll(awaited.Operation, receiver, types),
                IInvocationOperation { TargetMethod.Name: "Wait", Arguments.Length: <= 1 } invocation when Refers(invocation.Instance, receiver)
                    => invocation.Arguments.Length == 0 || invocation.Arguments[0].ArgumentKind == ArgumentKind.DefaultValue,
                IInvocationOperation waitAll => WaitsForAll(waitAll, receiver, types),
                IConditionalOperation { WhenFalse: null } guard => ProvesNotDone(guard.Condition, receiver) && Exits(guard.WhenTrue),
                _ => false,
            };

            // Checked last, on a match only: finding an operation's function walks up the tree.
            if (proves && IsSameScope(operation, scope, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Awaits in another function (a lambda submitted from here) do not order with this one's code.</summary>
    private static bool IsSameScope(IOperation operation, IOperation scope, PipelinesTypes types)
        => operation == scope || Locals.FunctionOf(operation, types) == scope;

    /// <summary>
    /// <c>Task.WhenAll</c>/<c>Task.WaitAll</c>, or <c>Futures.WaitAsync</c>/<c>Futures.Wait</c> with
    /// <c>ReturnWhen.AllCompleted</c> and no timeout, over arguments that mention <paramref name="receiver"/>.
    /// </summary>
    private static bool WaitsForAll(IOperation operation, ISymbol receiver, PipelinesTypes types)
    {
        while (operation is IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: not null })
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IInvocationOperation)operation).Instance!;
        }

        if (operation is not IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation
            || !((method.Name is "WhenAll" or "WaitAll" && PipelinesTypes.Is(method.ContainingType, types.Task))
                || (method.Name is "WaitAsync" or "Wait" && PipelinesTypes.Is(method.ContainingType, types.Futures))))
        {
            return false;
        }

        bool mentioned = false;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "returnWhen" when argument.ArgumentKind != ArgumentKind.DefaultValue
                    && argument.Value is not IFieldReferenceOperation { Field.Name: "AllCompleted" }:
                case "timeout" or "millisecondsTimeout" or "cancellationToken" when argument.ArgumentKind != ArgumentKind.DefaultValue:
                    return false;
            }

            foreach (IOperation part in argument.Value.DescendantsAndSelf())
            {
                mentioned |= Refers(part, receiver);
            }
        }

        return mentioned;
    }

    private static bool ProvesDone(IOperation condition, ISymbol receiver)
        => condition switch
        {
            IPropertyReferenceOperation { Property.Name: "IsDone" or "IsCompleted" or "IsCompletedSuccessfully" } property => Refers(property.Instance, receiver),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction => ProvesDone(conjunction.LeftOperand, receiver) || ProvesDone(conjunction.RightOperand, receiver),
            _ => false,
        };

    private static bool ProvesNotDone(IOperation condition, ISymbol receiver)
        => condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation && ProvesDone(negation.Operand, receiver);

    private static bool Exits(IOperation statement)
    {
        while (statement is IBlockOperation { Operations.Length: > 0 } block)
        {
            statement = block.Operations[block.Operations.Length - 1];
        }

        return statement is IReturnOperation
            or IBranchOperation
            or IExpressionStatementOperation { Operation: IThrowOperation }
            or IThrowOperation;
    }

    private static bool Refers(IOperation? operation, ISymbol receiver)
        => SymbolEqualityComparer.Default.Equals(BlockingWaits.ReceiverSymbol(operation), receiver);
}
