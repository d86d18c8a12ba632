using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>
/// Makes the names of everything the generator writes unique by construction, across all [Submittable] methods of the
/// compilation. Each method and type has a readable name of its own (<c>Demo.Jobs.Add.g.cs</c>, <c>AddCall</c>,
/// <c>JobsStubs</c>), and names that are distinct in C# can still clash where they meet:
/// <list type="bullet">
/// <item>hint names are compared ignoring case (file systems do), so <c>Jobs.Foo</c> and <c>Jobs.foo</c>, or types
/// <c>Jobs</c> and <c>jobs</c>, would give Roslyn two equal hint names and cost the whole generator run (CS8785);</item>
/// <item>nested types are flattened with '_', so <c>Outer.Inner</c> and <c>Outer_Inner</c> share the stubs class
/// <c>Outer_InnerStubs</c> (it is declared once, public if either type is), and their call classes meet there;</item>
/// <item>a call class may not share its name with a stub of its class (<c>SubmitXCall</c> for methods <c>SubmitX</c> and
/// <c>XCall</c>).</item>
/// </list>
/// Names that clash are the rare case: the first name in ordinal order keeps its readable name and the others get the
/// lowest free <c>_2</c>, <c>_3</c>… suffix, checked against every name already taken, so what this returns is unique
/// whatever the input. The common case returns no renames, so the step stays equal and every file stays cached.
/// </summary>
internal static class OutputNames
{
    /// <summary>The one file the generator writes per assembly, for process pools.</summary>
    public const string RegistrationsHintName = "Pipelines.RemoteCallRegistrations.g.cs";

    private const string HintSuffix = ".g.cs";

    /// <summary>What the stub methods of <paramref name="method"/> may be called in its stubs class (maps and initializers included).</summary>
    public static IEnumerable<string> StubMemberNames(SubmittableMethod method)
    {
        yield return "Submit" + method.StubName;
        yield return "Then" + method.StubName;
        yield return "Map" + method.StubName;
        yield return "MapAsync" + method.StubName;
        yield return "Initialize" + method.StubName;
    }

    /// <summary>
    /// Finds the methods whose stubs would clash (equal <see cref="SubmittableMethod.CollisionKey"/>: neither is emitted),
    /// and assigns every output name of the others: the renamed methods, and the stubs classes to declare.
    /// </summary>
    public static GeneratedNames Assign(IEnumerable<SubmittableMethod> methods)
    {
        EquatableArray<string> collisions = methods
            .GroupBy(m => m.CollisionKey, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToEquatableArray();
        List<SubmittableMethod> all = methods
            .Where(m => collisions.Count == 0 || !collisions.Contains(m.CollisionKey))
            .OrderBy(m => m.HintName, StringComparer.Ordinal)
            .ThenBy(m => m.MethodDocumentationId, StringComparer.Ordinal)
            .ToList();

        // Stubs classes: one per C# name in a namespace, whichever types flatten to it.
        List<StubsClass> classes = all
            .GroupBy(m => (m.Namespace, m.StubsClassName))
            .Select(g => new StubsClass(
                g.Key.Namespace,
                g.Key.StubsClassName,
                g.Any(m => m.ClassAccessibility == "public") ? "public" : "internal",
                g.Select(m => m.TypeDocumentationId).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToEquatableArray(),
                StubsClass.ReadableHintName(g.Key.Namespace, g.Key.StubsClassName)))
            .OrderBy(c => c.HintName, StringComparer.Ordinal)
            .ToList();

        // Hint names, ignoring case: the registrations file, then stubs classes, then methods keep theirs if free.
        var hints = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RegistrationsHintName };
        var classHints = classes.Select(c => Claim(hints, c.HintName)).ToList();
        var methodHints = all.Select(m => Claim(hints, m.HintName)).ToList();
        for (int i = 0; i < classes.Count; i++)
        {
            classes[i] = classes[i] with { HintName = classHints[i] ?? Unique(hints, classes[i].HintName, HintSuffix, StringComparer.OrdinalIgnoreCase) };
        }

        // Call classes, per stubs class (C# compares names by ordinal): the stubs' own names are taken first.
        var callNames = all
            .GroupBy(m => (m.Namespace, m.StubsClassName))
            .ToDictionary(g => g.Key, g => new HashSet<string>(g.SelectMany(StubMemberNames), StringComparer.Ordinal));
        var callClaims = all.Select(m => Claim(callNames[(m.Namespace, m.StubsClassName)], m.CallClassName)).ToList();

        var renamed = new List<RenamedMethod>();
        for (int i = 0; i < all.Count; i++)
        {
            SubmittableMethod method = all[i];
            StubsClass stubsClass = classes.First(c => c.Namespace == method.Namespace && c.Name == method.StubsClassName);
            string hint = methodHints[i] ?? Unique(hints, method.HintName, HintSuffix, StringComparer.OrdinalIgnoreCase);
            string callClass = callClaims[i] ?? Unique(callNames[(method.Namespace, method.StubsClassName)], method.CallClassName, string.Empty, StringComparer.Ordinal);
            if (hint != method.HintName || callClass != method.CallClassName || stubsClass.Accessibility != method.ClassAccessibility)
            {
                renamed.Add(new RenamedMethod(method.MethodDocumentationId, method.HintName, hint, callClass, stubsClass.Accessibility));
            }
        }

        return new GeneratedNames(collisions, renamed.ToEquatableArray(), classes.ToEquatableArray());
    }

    /// <summary><paramref name="method"/> with the names <see cref="Assign"/> gave it (<see cref="GeneratedNames.Renamed"/>).</summary>
    public static SubmittableMethod Apply(SubmittableMethod method, EquatableArray<RenamedMethod> renames)
    {
        foreach (RenamedMethod renamed in renames)
        {
            if (renamed.MethodDocumentationId == method.MethodDocumentationId && renamed.ReadableHintName == method.HintName)
            {
                return method with { HintName = renamed.HintName, CallClassName = renamed.CallClassName, ClassAccessibility = renamed.ClassAccessibility };
            }
        }

        return method;
    }

    /// <summary>Takes <paramref name="name"/> if it is free and returns it; null when it is taken.</summary>
    private static string? Claim(HashSet<string> taken, string name) => taken.Add(name) ? name : null;

    /// <summary>The first of <c>{stem}_2{suffix}</c>, <c>{stem}_3{suffix}</c>… not yet taken, now taken.</summary>
    private static string Unique(HashSet<string> taken, string name, string suffix, StringComparer comparer)
    {
        string stem = suffix.Length > 0 && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - suffix.Length) : name;
        for (int n = 2; ; n++)
        {
            string candidate = stem + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + suffix;
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }
}

/// <summary>What <see cref="OutputNames.Assign"/> found: the clashing stubs, the few methods it renamed, and every stubs class to declare.</summary>
/// <param name="Collisions">Collision keys of more than one method: those methods get no stubs.</param>
/// <param name="Renamed">Methods whose hint name, call class or class accessibility differs from their own (usually none).</param>
/// <param name="Classes">The stubs classes, each once, with its final hint name.</param>
internal sealed record GeneratedNames(EquatableArray<string> Collisions, EquatableArray<RenamedMethod> Renamed, EquatableArray<StubsClass> Classes);

/// <summary>A method given other names than its own, to keep every name unique.</summary>
/// <param name="MethodDocumentationId">Which method.</param>
/// <param name="ReadableHintName">Its own hint name (with the ID, it identifies the method).</param>
/// <param name="HintName">The hint name to use.</param>
/// <param name="CallClassName">The call class name to use.</param>
/// <param name="ClassAccessibility">The accessibility its stubs class is declared with.</param>
internal sealed record RenamedMethod(string MethodDocumentationId, string ReadableHintName, string HintName, string CallClassName, string ClassAccessibility);
