using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>Which overloads each stub comes in: masks over the two-overload parameters, plain and futures forms, collections of futures.</summary>
internal static partial class SubmittableEmitter
{
    /// <summary>Whether the stubs come in a plain form too: some stub parameter other than <paramref name="skip"/> would be a <c>FutureOr</c>.</summary>
    private static bool HasPlainForm(SubmittableMethod method, int skip)
    {
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterModel parameter = method.Parameters[i];
            if (i != skip && parameter.Kind == ParameterKind.FutureOr && parameter.HasPlainForm && !parameter.IsCallerInfo)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every overload to write, in order: for each mask over the two-overload parameters, the plain form (when it
    /// differs), the futures form, then the futures form with collections of futures for collection parameters.
    /// </summary>
    private static IEnumerable<Shape> Shapes(SubmittableMethod method, int skip)
    {
        List<int> pairs = PairIndexes(method, skip);
        List<int> collections = Enumerable.Range(0, method.Parameters.Count)
            .Where(i => i != skip && method.Parameters[i].Collection != CollectionKind.None)
            .ToList();
        bool plainTwin = HasPlainForm(method, skip);
        foreach (int variant in Variants(pairs.Count))
        {
            if (plainTwin)
            {
                yield return new Shape(skip, pairs, variant, Plain: true, HasPlainTwin: true, collections, CollectionMask: 0);
            }

            yield return new Shape(skip, pairs, variant, Plain: false, plainTwin, collections, CollectionMask: 0);
            foreach (int mask in Variants(collections.Count).Skip(1))
            {
                var shape = new Shape(skip, pairs, variant, Plain: false, plainTwin, collections, mask);

                // An interface-typed collection replaced by futures of its elements is the same overload whatever its pair bit says.
                if (!collections.Any(i => shape.TakesFutures(i) && shape.TakesFuture(i)))
                {
                    yield return shape;
                }
            }
        }
    }

    /// <summary>One overload of a stub.</summary>
    /// <param name="Skip">The parameter a <c>Then</c> stub's source feeds, or -1 for <c>Submit</c>.</param>
    /// <param name="Pairs">The two-overload parameters (interfaces, delegates, type parameters).</param>
    /// <param name="Variant">Bit set: that pair parameter takes a future here.</param>
    /// <param name="Plain">The plain form: <c>FutureOr</c> parameters declared as their own types.</param>
    /// <param name="HasPlainTwin">A plain form exists beside this futures form.</param>
    /// <param name="Collections">The collection parameters.</param>
    /// <param name="CollectionMask">Bit set: that collection parameter takes futures of its elements here.</param>
    private readonly record struct Shape(int Skip, List<int> Pairs, int Variant, bool Plain, bool HasPlainTwin, List<int> Collections, int CollectionMask)
    {
        /// <summary>Pair parameter <paramref name="index"/> takes a future in this overload.</summary>
        public bool TakesFuture(int index) => IsFutureVariant(Pairs, Variant, index);

        /// <summary>Collection parameter <paramref name="index"/> takes futures of its elements in this overload.</summary>
        public bool TakesFutures(int index) => IsFutureVariant(Collections, CollectionMask, index);
    }

    /// <summary>Indexes of the parameters that get two overloads (value / future).</summary>
    private static List<int> PairIndexes(SubmittableMethod method, int skip) =>
        Enumerable.Range(0, method.Parameters.Count)
            .Where(i => i != skip && method.Parameters[i].Kind is ParameterKind.InterfacePair or ParameterKind.GenericPair)
            .ToList();

    /// <summary>Bit masks over the pair parameters: bit set = that parameter takes a future in this overload.</summary>
    private static IEnumerable<int> Variants(int pairCount) =>
        pairCount <= MaxPairParametersForAllCombinations
            ? Enumerable.Range(0, 1 << pairCount)
            : new[] { 0, (1 << pairCount) - 1 };

    private static bool IsFutureVariant(List<int> pairs, int variant, int parameterIndex)
    {
        int bit = pairs.IndexOf(parameterIndex);
        return bit >= 0 && (variant & (1 << bit)) != 0;
    }
}
