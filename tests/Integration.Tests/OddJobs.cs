using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

// Unusual but legal [Submittable] methods, compiled by the real generator with warnings as errors and documentation files
// on: every one must get stubs that compile warning-free and behave as the method does (OddSourceTests runs them).
namespace Pipelines.IntegrationTests.Odd
{
    /// <summary>Caller information, params arrays and collections, null defaults, partial methods.</summary>
    public static partial class Shapes
    {
        /// <summary>Where it was called from.</summary>
        /// <param name="depth">Any number.</param>
        /// <param name="member">The calling member.</param>
        /// <param name="line">The calling line.</param>
        /// <param name="file">The calling file.</param>
        /// <returns>All three.</returns>
        [Submittable]
        public static string Where(int depth, [CallerMemberName] string member = "", [CallerLineNumber] int line = 0, [CallerFilePath] string file = "") =>
            $"{depth}|{member}|{line}|{file}";

        [Submittable]
        public static string Expression(int value, [CallerArgumentExpression(nameof(value))] string expression = "") => $"{value}={expression}";

        [Submittable]
        public static string AllowsNull([System.Diagnostics.CodeAnalysis.AllowNull] string text) => text ?? "null";

        [Submittable]
        public static int CountOf<T>(params T[] values) => values.Length;

        [Submittable]
        public static int SumOf(params IEnumerable<int> values) => values.Sum();

        [Submittable]
        public static string JoinAll(string separator, params List<string> parts) => string.Join(separator, parts);

        [Submittable]
        public static T OrFallback<T>(T value, T fallback = default!) => value is null ? fallback : value;

        [Submittable]
        public static string TextOr(string? value, string fallback = null!) => value ?? fallback ?? "null";

        /// <summary>Adds <paramref name="y"/> to <paramref name="x"/>.</summary>
        /// <param name="x">Doubled first.</param>
        /// <param name="y">Added to twice <paramref name="x"/>.</param>
        /// <returns>2x + y.</returns>
        [Submittable]
        public static partial int Impl(int x, int y = 5);

        public static partial int Impl(int x, int y) => (2 * x) + y;
    }

    /// <summary>Names that clash ignoring case, or a call class named like a stub.</summary>
    public static class Names
    {
        [Submittable]
        public static int Scale(int x) => x * 10;

        [Submittable]
        public static string scale(string x) => x + x;

        [Submittable]
        public static int SubmitX(int a) => a + 1;

        [Submittable]
        public static int XCall(int a) => a + 2;
    }

    /// <summary>Clashes with <see cref="Names"/> ignoring case.</summary>
    public static class NAMES
    {
        [Submittable]
        public static long Scale(long x) => x * 100;
    }

    /// <summary>Its stubs class is also <see cref="Outer_Inner"/>'s.</summary>
    public static class Outer
    {
        /// <summary>Nested.</summary>
        public static class Inner
        {
            [Submittable]
            public static string Run(int x) => $"nested {x}";
        }
    }

    /// <summary>Flattens onto <see cref="Outer.Inner"/>.</summary>
    internal static class Outer_Inner
    {
        [Submittable]
        public static string Run(string x) => $"flat {x}";
    }

    /// <summary>A record struct whose instance methods are submitted, and extension methods.</summary>
    /// <param name="Amount">How much.</param>
    public readonly record struct Money(decimal Amount)
    {
        [Submittable]
        public Money Plus(decimal more) => new(Amount + more);
    }

    /// <summary>Extension methods.</summary>
    public static class Extensions
    {
        [Submittable]
        public static int TwiceOf(this int x) => x * 2;
    }

    /// <summary>Obsolete and experimental methods: their stubs say so too.</summary>
    public static class Deprecated
    {
        [Obsolete("Use Fresh.")]
        [Submittable]
        public static int Stale(int x) => x;

        [Obsolete("Gone.", true)]
        [Submittable]
        public static int Gone(int x) => x;

        [System.Diagnostics.CodeAnalysis.Experimental("ODD001")]
        [Submittable]
        public static int Preview(int x) => x;
    }
}

namespace Pipelines.IntegrationTests.@event
{
    /// <summary>Keywords everywhere.</summary>
    public static class @class
    {
        [Submittable]
        public static int @int(int @params, string @this) => @params + @this.Length;
    }
}
