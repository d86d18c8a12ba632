using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Pipelines;

/// <summary>Removes repeated references from an array in one pass, keeping first occurrences in order.</summary>
internal static class IdentitySet
{
    // Small inputs compare pairwise: cheaper than hashing, and no table to allocate.
    private const int PairwiseLimit = 8;

    /// <summary>Looks at each distinct item once, in the same pass that finds it distinct (while it is in cache).</summary>
    public interface IVisitor<in T>
    {
        void Kept(T item);
    }

    /// <summary>
    /// Compacts the distinct items to the front of <paramref name="items"/>, shows each to <paramref name="visitor"/>
    /// once, and returns how many there are. A struct visitor is specialised by the JIT: no call per item.
    /// </summary>
    public static int RemoveDuplicates<T, TVisitor>(T[] items, ref TVisitor visitor)
        where T : class
        where TVisitor : struct, IVisitor<T>
    {
        if (items.Length <= PairwiseLimit)
        {
            return RemovePairwise(items, ref visitor);
        }

        // Open addressing on identity hashes, in a table of twice the input's size (rounded up to a power of two). The
        // table holds positions in the compacted prefix of items (plus one; 0 is empty), not references: an int table
        // is half the memory of a reference table, and its stores need no GC write barrier. A position, once written,
        // keeps its item: compaction only writes at positions past every position the table has handed out.
        int[] table = new int[(int)Math.Min(1L << 30, (long)BitOperations.RoundUpToPowerOf2((uint)items.Length) * 2)];
        int mask = table.Length - 1;
        int kept = 0;
        for (int i = 0; i < items.Length; i++)
        {
            T item = items[i];
            int slot = RuntimeHelpers.GetHashCode(item) & mask;
            while (true)
            {
                int occupant = table[slot];
                if (occupant == 0)
                {
                    table[slot] = kept + 1;
                    items[kept++] = item;
                    visitor.Kept(item);
                    break;
                }

                if (ReferenceEquals(items[occupant - 1], item))
                {
                    break; // a repeat
                }

                slot = (slot + 1) & mask;
            }
        }

        Array.Clear(items, kept, items.Length - kept);
        return kept;
    }

    private static int RemovePairwise<T, TVisitor>(T[] items, ref TVisitor visitor)
        where T : class
        where TVisitor : struct, IVisitor<T>
    {
        int kept = 0;
        for (int i = 0; i < items.Length; i++)
        {
            T item = items[i];
            bool repeat = false;
            for (int j = 0; j < kept; j++)
            {
                if (ReferenceEquals(items[j], item))
                {
                    repeat = true;
                    break;
                }
            }

            if (!repeat)
            {
                items[kept++] = item;
                visitor.Kept(item);
            }
        }

        Array.Clear(items, kept, items.Length - kept);
        return kept;
    }
}
