using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>One reason a [Submittable] method cannot run in a process pool.</summary>
internal sealed class ProcessPoolProblem
{
    public ProcessPoolProblem(string method, string? parameter, string reason, string advice)
    {
        Method = method;
        Parameter = parameter;
        Reason = reason;
        Advice = advice;
    }

    /// <summary>The method as the message names it (<c>Type.Method</c>).</summary>
    public string Method { get; }

    /// <summary>The parameter at fault, or null for the method itself or its result.</summary>
    public string? Parameter { get; }

    public string Reason { get; }

    public string Advice { get; }
}

/// <summary>Whether a [Submittable] method, named by its stub's <c>[StubFor]</c>, can run in a process pool.</summary>
internal static class ProcessPoolFit
{
    private const string StaticOnly = "process pools run only static, non-generic [Submittable] methods";

    /// <summary>What stops the method with <paramref name="methodId"/> from running in a process pool; empty when nothing does.</summary>
    public static ImmutableArray<ProcessPoolProblem> Find(string methodId, bool runsInProcessPools, Compilation compilation, PipelinesTypes types)
    {
        var method = DocumentationCommentId.GetFirstSymbolForDeclarationId(methodId, compilation) as IMethodSymbol;
        string name = method is null ? methodId : method.ContainingType.Name + "." + method.Name;
        if (!runsInProcessPools)
        {
            (string reason, string advice) = method switch
            {
                { IsStatic: false } => ("it is an instance method, and " + StaticOnly, "make it static and pass the state it needs as arguments"),
                { IsGenericMethod: true } => ("it is a generic method, and " + StaticOnly, "add a non-generic [Submittable] method for the types you need"),
                not null => ("it mentions 'dynamic', which process pools cannot send", JsonTransport.UseConcreteType),
                null => (StaticOnly, "make the method static and non-generic"),
            };
            return ImmutableArray.Create(new ProcessPoolProblem(name, null, reason, advice));
        }

        if (method is null)
        {
            return ImmutableArray<ProcessPoolProblem>.Empty;
        }

        ImmutableArray<ProcessPoolProblem>.Builder problems = ImmutableArray.CreateBuilder<ProcessPoolProblem>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            // A CancellationToken is not sent: the worker passes its own, cancelled when the call is.
            if (!PipelinesTypes.Is(parameter.Type, types.CancellationToken)
                && JsonTransport.FindUnsendable(parameter.Type, isParameter: true, types) is { } unsendable)
            {
                problems.Add(new ProcessPoolProblem(
                    name,
                    parameter.Name,
                    $"parameter '{parameter.Name}' has type '{Display(parameter.Type)}'{Whose(parameter.Type, unsendable.Type)}{unsendable.What}",
                    unsendable.Advice));
            }
        }

        if (JsonTransport.ResultOf(method, types) is { } result && JsonTransport.FindUnsendable(result, isParameter: false, types) is { } unsendableResult)
        {
            problems.Add(new ProcessPoolProblem(
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
}
