using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>
/// Carve-outs: a wait on a future or task that is already known to be complete does not block. Known complete
/// means, for the same local or parameter, within the same function:
/// <list type="bullet">
/// <item>it is the <c>OnDone</c> callback's own future (or the future <c>OnDone</c> was called on);</item>
/// <item>an earlier <c>await f</c> or <c>f.Wait()</c>, or an earlier wait for all of a set that names it
/// (<c>await Task.WhenAll(a, b)</c>, <c>await Futures.WaitAsync(new[] { a, b })</c>, <c>Task.WaitAll</c>, <c>Futures.Wait</c>);</item>
/// <item>a guard: <c>if (f.IsDone) …</c>, <c>f.IsDone ? … : …</c>, <c>f.IsDone &amp;&amp; …</c>, or an earlier <c>if (!f.IsDone) return;</c>;</item>
/// <item>the loop variable of <c>foreach (var f in Futures.AsCompleted(…))</c>.</item>
/// </list>
/// The checks are textual order, not flow analysis: they err towards staying quiet.
/// </summary>
internal static class CompletedFutures
{
    public static bool IsKnownComplete(in BlockingWait wait, in WorkContext work, PipelinesTypes types)
    {
        ISymbol? receiver = BlockingWaits.ReceiverSymbol(wait.Awaited);
        if (receiver is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(receiver, work.CallbackParameter)
            || SymbolEqualityComparer.Default.Equals(receiver, work.CallbackSource))
        {
            return true;
        }

        IOperation waitOperation = wait.Operation;
        IOperation body = waitOperation;
        for (IOperation? current = waitOperation.Parent, child = waitOperation; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IConditionalOperation conditional when conditional.WhenTrue == child && ProvesDone(conditional.Condition, receiver):
                    return true;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when conjunction.RightOperand == child && ProvesDone(conjunction.LeftOperand, receiver):
                    return true;
                case IForEachLoopOperation loop when loop.Body == child && IsAsCompletedLoopOver(loop, receiver, types):
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return CompletedEarlier(current, waitOperation, receiver, types);
            }

            body = current;
        }

        return CompletedEarlier(body, waitOperation, receiver, types);
    }

    private static bool CompletedEarlier(IOperation function, IOperation wait, ISymbol receiver, PipelinesTypes types)
    {
        int waitStart = wait.Syntax.SpanStart;
        foreach (IOperation operation in function.Descendants())
        {
            if (operation.Syntax.Span.End > waitStart)
            {
                continue;
            }

            switch (operation)
            {
                case IAwaitOperation awaited when Refers(awaited.Operation, receiver) || WaitsForAll(awaited.Operation, receiver, types):
                    return true;
                case IInvocationOperation waitAll when WaitsForAll(waitAll, receiver, types):
                    return true;
                case IInvocationOperation { TargetMethod.Name: "Wait", Arguments.Length: <= 1 } invocation
                    when Refers(invocation.Instance, receiver) && (invocation.Arguments.Length == 0 || invocation.Arguments[0].ArgumentKind == ArgumentKind.DefaultValue):
                    return true;
                case IConditionalOperation { WhenFalse: null } guard when ProvesNotDone(guard.Condition, receiver) && Exits(guard.WhenTrue):
                    return true;
            }
        }

        return false;
    }

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

    private static bool IsAsCompletedLoopOver(IForEachLoopOperation loop, ISymbol receiver, PipelinesTypes types)
    {
        IOperation collection = loop.Collection;
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        return collection is IInvocationOperation { TargetMethod.Name: "AsCompleted" } invocation
            && PipelinesTypes.Is(invocation.TargetMethod.ContainingType, types.Futures)
            && loop.LoopControlVariable is IVariableDeclaratorOperation declarator
            && SymbolEqualityComparer.Default.Equals(declarator.Symbol, receiver);
    }

    private static bool Refers(IOperation? operation, ISymbol receiver)
        => SymbolEqualityComparer.Default.Equals(BlockingWaits.ReceiverSymbol(operation), receiver);
}
