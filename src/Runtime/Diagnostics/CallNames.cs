using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Pipelines.Internals;
using Pipelines.Remoting;

namespace Pipelines.Diagnostics;

/// <summary>
/// A call's method, read from what the call already is, without help from the generator: <c>Add</c> for
/// <see cref="Future.ToString"/> and graphs, <c>Jobs.Add</c> for span names and metric tags.
/// </summary>
/// <param name="Short">The method's name, e.g. <c>Add</c>.</param>
/// <param name="Qualified">The method with its declaring type, e.g. <c>Jobs.Add</c>.</param>
internal sealed record CallName(string Short, string Qualified)
{
    public static readonly CallName Future = new("Future", "Future");
}

/// <summary>
/// Derives <see cref="CallName"/>s. Generated calls are classes named <c>{Method}Call</c> or <c>{Method}Call_{hash}</c>
/// (overloads) nested in <c>{Type}Stubs</c>; remotable ones also name their method by documentation ID
/// (<see cref="IRemoteCall.MethodId"/>, e.g. <c>M:Demo.Jobs.Add(System.Int32,System.Int32)</c>), which is preferred.
/// A <c>Submit(delegate)</c> call is named by its delegate's method; a lambda as <c>lambda in Main</c>.
/// Names of types are computed once per type (cached weakly, so collectible assemblies can unload).
/// </summary>
internal static class CallNames
{
    private static readonly ConditionalWeakTable<Type, CallName> s_byType = new();

    /// <summary>The name of <paramref name="future"/>'s method (the type's name for futures that are not calls).</summary>
    public static CallName Of(Future future)
    {
        if (future is IDelegateCall { Function: { } function })
        {
            return OfDelegate(function);
        }

        if (future is Internals.IMapChunk chunk)
        {
            // One chunk type serves every method of the same item and result types: named by its method, not cached.
            string[] parts = chunk.MappedMethod.Split('.');
            string qualified = parts.Length > 1 ? $"{parts[^2]}.{parts[^1]}" : parts[^1];
            return new CallName(parts[^1] + " (map)", qualified + " (map)");
        }

        Type type = future.GetType();
        if (s_byType.TryGetValue(type, out CallName? cached))
        {
            return cached;
        }

        CallName name = future is IRemoteCall remote && FromDocumentationId(remote.MethodId) is { } fromId ? fromId : FromType(type);
        s_byType.AddOrUpdate(type, name);
        return name;
    }

    /// <summary>What <see cref="Future.ToString"/> shows before the state: the short method name. Never throws.</summary>
    public static string DisplayName(Future future)
    {
        try
        {
            return (CallRecord.Find(future)?.Name ?? Of(future)).Short;
        }
        catch (Exception)
        {
            return future.GetType().Name; // a user's IRemoteCall.MethodId that throws must not break ToString
        }
    }

    /// <summary><c>M:Demo.Jobs.Add(System.Int32)</c> → <c>Add</c> / <c>Jobs.Add</c>; null if it is not a method's ID.</summary>
    internal static CallName? FromDocumentationId(string? id)
    {
        if (id is null || !id.StartsWith("M:", StringComparison.Ordinal))
        {
            return null;
        }

        int end = id.IndexOf('(');
        string path = end < 0 ? id[2..] : id[2..end];
        int dot = path.LastIndexOf('.');
        string method = StripArity(path[(dot + 1)..]);
        if (method.Length == 0)
        {
            return null;
        }

        if (dot < 0)
        {
            return new CallName(method, method);
        }

        string owner = path[..dot];
        string type = StripArity(owner[(owner.LastIndexOf('.') + 1)..]);
        return new CallName(method, type.Length == 0 ? method : $"{type}.{method}");
    }

    /// <summary>From the call class's name: <c>AddCall_1a2b3c4d</c> in <c>JobsStubs</c> → <c>Add</c> / <c>Jobs.Add</c>.</summary>
    internal static CallName FromType(Type type)
    {
        string name = StripArity(type.Name);
        if (type.DeclaringType?.Name == "DelegateCalls")
        {
            return new CallName("Submit", "Submit"); // a delegate call that has dropped its delegate
        }

        switch (name)
        {
            case "Future":
                return CallName.Future;
            case "GatherFuture":
                return new CallName("All", "Futures.All");
            case "Converted":
                return new CallName("Gather", "Futures.Gather");
        }

        int hash = name.LastIndexOf("Call_", StringComparison.Ordinal);
        if (hash > 0 && IsHex(name.AsSpan(hash + 5)))
        {
            name = name[..hash];
        }
        else if (name.EndsWith("Call", StringComparison.Ordinal) && name.Length > 4)
        {
            name = name[..^4];
        }
        else if (name.EndsWith("Future", StringComparison.Ordinal) && name.Length > 6)
        {
            name = name[..^6];
        }

        string? owner = type.DeclaringType is { } declaring ? StripArity(declaring.Name) : null;
        if (owner is not null && owner.EndsWith("Stubs", StringComparison.Ordinal) && owner.Length > 5)
        {
            owner = owner[..^5];
        }

        return new CallName(name, owner is null ? name : $"{owner}.{name}");
    }

    /// <summary>A delegate's method: <c>Jobs.Inc</c> for a method group, <c>lambda in Main</c>, a local function's own name.</summary>
    internal static CallName OfDelegate(Delegate function)
    {
        MethodInfo method;
        try
        {
            method = function.Method;
        }
        catch (Exception)
        {
            return new CallName("Submit", "Submit"); // no metadata for it (a reflection-free native build)
        }

        string name = method.Name;
        if (name.StartsWith('<') && CompilerGenerated(name) is { } generated)
        {
            return generated;
        }

        string? type = method.DeclaringType is { } declaring && !declaring.Name.StartsWith('<') ? StripArity(declaring.Name) : null;
        return new CallName(name, type is null ? name : $"{type}.{name}");
    }

    /// <summary>C#'s names for lambdas (<c>&lt;Main&gt;b__0_0</c>) and local functions (<c>&lt;Main&gt;g__Work|0_0</c>).</summary>
    private static CallName? CompilerGenerated(string name)
    {
        // The kind letter follows the last '>' before "__": b = lambda, g = local function.
        int marker = name.IndexOf("__", StringComparison.Ordinal);
        if (marker < 2 || name[marker - 2] != '>')
        {
            return null;
        }

        string outer = name[1..(marker - 2)];
        if (outer.StartsWith('<') && outer.EndsWith(">$", StringComparison.Ordinal))
        {
            outer = outer[1..^2]; // top-level statements: <<Main>$>b__0_0
        }

        char kind = name[marker - 1];
        if (kind == 'g')
        {
            int bar = name.IndexOf('|', marker);
            string local = bar < 0 ? name[(marker + 2)..] : name[(marker + 2)..bar];
            return new CallName(local, local);
        }

        string lambda = outer.Length == 0 ? "lambda" : $"lambda in {outer}";
        return new CallName(lambda, lambda);
    }

    private static string StripArity(string name)
    {
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A call that runs a delegate (<c>executor.Submit(() => …)</c>): its delegate names it, until the call releases it.</summary>
internal interface IDelegateCall
{
    /// <summary>The delegate, or null once the call is done and has dropped it.</summary>
    Delegate? Function { get; }
}
