using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Pipelines;

/// <summary>Removes repeated references from an array in one pass, keeping first occurrences in order.</summary>
internal static class IdentitySet
{
    // Small inputs compare pairwise: cheaper than hashing, and no table to allocate.
    private const int PairwiseLimit = 8;

    /// <summary>
    /// The distinct items of <paramref name="items"/>, in first-seen order: compacted in place, and returned as a shorter
    /// copy only if there were repeats.
    /// </summary>
    public static T[] Distinct<T>(T[] items)
        where T : class
    {
        int distinct = RemoveDuplicates(items);
        if (distinct < items.Length)
        {
            Array.Resize(ref items, distinct);
        }

        return items;
    }

    /// <summary>Compacts the distinct items to the front of <paramref name="items"/> and returns how many there are.</summary>
    private static int RemoveDuplicates<T>(T[] items)
        where T : class
    {
        if (items.Length <= PairwiseLimit)
        {
            return RemovePairwise(items);
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

    private static int RemovePairwise<T>(T[] items)
        where T : class
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
            }
        }

        Array.Clear(items, kept, items.Length - kept);
        return kept;
    }
}
