using System;
using System.Linq;
using System.Reflection;
using Pipelines.Generator.Analyzers.Common;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>
/// PIPE0100 stays quiet on a dropped call whose result is the future it was called on (<c>kept.CancelAfter(t);</c>).
/// It knows those calls from a table of names (<see cref="PipelinesTypes.ReceiverReturningMethodNames"/>); these tests
/// keep the table true to the runtime.
/// </summary>
public class ReceiverReturningMethodsTests
{
    /// <summary>Runtime methods on a future that return a future of the same type which is a new one, not the receiver.</summary>
    private static readonly string[] ReturnsANewFuture = { "Catch" };

    [Fact]
    public void EveryFutureMethodReturningItsOwnTypeIsClassified()
    {
        string[] candidates = new[] { typeof(Future), typeof(Future<>) }
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.ReturnType == type))
            .Select(m => m.Name)
            .Distinct()
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            PipelinesTypes.ReceiverReturningMethodNames.Concat(ReturnsANewFuture).OrderBy(name => name, StringComparer.Ordinal),
            candidates);
    }

    [Fact]
    public void TheTablesMethodsReturnTheirReceiverAndTheOthersDoNot()
    {
        using var release = new System.Threading.ManualResetEventSlim();
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        Future<int> pending = pool.Submit(() => { release.Wait(); return 1; });
        foreach (string name in PipelinesTypes.ReceiverReturningMethodNames)
        {
            Assert.Same(pending, Invoke(typeof(Future<int>), pending, name));
            Assert.Same(pending, Invoke(typeof(Future), pending, name));
        }

        Future<int> caught = pending.Catch<InvalidOperationException>(_ => 0);
        Assert.NotSame(pending, caught);
        release.Set();
        Assert.Equal(1, caught.GetResult(TimeSpan.FromMinutes(1)));
    }

    /// <summary>Calls the method <paramref name="declaringType"/> declares, with a harmless argument for each parameter.</summary>
    private static object? Invoke(Type declaringType, Future future, string name)
    {
        MethodInfo method = declaringType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Single(m => m.Name == name);
        object?[] arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(TimeSpan) ? (object)TimeSpan.FromHours(1) : throw new InvalidOperationException($"No test argument for a {p.ParameterType} of {name}: add one here."))
            .ToArray();
        return method.Invoke(future, arguments);
    }
}
