using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Pipelines.Generator.Tests.Helpers;

/// <summary>Caching checks, run by every snapshot test: a rerun is all Cached/Unchanged, and no step holds Roslyn objects.</summary>
internal static class IncrementalAssert
{
    public static readonly string[] TrackedSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Every tracked step of <paramref name="second"/> is Cached or Unchanged.</summary>
    public static void AllCachedOrUnchanged(GeneratorDriverRunResult second)
    {
        IReadOnlyDictionary<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> steps = second.Results.Single().TrackedSteps;
        Assert.NotEmpty(steps);
        foreach (string name in TrackedSteps.Where(steps.ContainsKey))
        {
            foreach (IncrementalGeneratorRunStep step in steps[name])
            {
                foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{name}' was {reason} on a run that changed nothing it depends on.");
                }
            }
        }
    }

    /// <summary>
    /// No output of our named steps is, or contains, a Compilation, symbol, syntax node, tree or semantic model.
    /// (Roslyn's own internal steps of ForAttributeWithMetadataName hold syntax by design.)
    /// </summary>
    public static void NoRoslynObjectsInSteps(GeneratorDriverRunResult result)
    {
        var tracked = result.Results.Single().TrackedSteps;
        Assert.Contains(TrackingNames.Methods, tracked.Keys);
        foreach (string name in TrackedSteps.Where(tracked.ContainsKey))
        {
            foreach (IncrementalGeneratorRunStep step in tracked[name])
            {
                foreach ((object value, IncrementalStepRunReason _) in step.Outputs)
                {
                    AssertNoRoslynObjects(value, name, depth: 0);
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string step, int depth)
    {
        if (value is null || depth > 8 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        // 'is' checks: a type-equality check against the abstract Roslyn types would pass vacuously.
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"Step '{step}' holds a {value.GetType().Name}: it would root a compilation and defeat caching.");

        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                AssertNoRoslynObjects(item, step, depth + 1);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), step, depth + 1);
        }
    }
}
